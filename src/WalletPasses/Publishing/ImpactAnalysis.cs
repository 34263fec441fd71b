using Microsoft.Extensions.Options;
using WalletPasses.Apple;
using WalletPasses.Events;
using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Publishing;

/// <summary>
/// The dry run of a publication: each member's pass built under the current template and under the draft and
/// compared (<see cref="TemplateComparison"/>), with the member's registered devices counted. Reads only.
/// </summary>
public sealed class ImpactAnalysis(
    TemplateDrafts drafts,
    ProgramTemplates templates,
    TemplatePublisher publisher,
    StorageClients storage,
    DeviceRegistrations registrations,
    ApplePasses apple,
    IServiceProvider services,
    IOptions<PublishingOptions> options,
    IOptions<NotificationOptions> notifications,
    IOptions<WalletPassesOptions> wallet,
    TimeProvider time)
{
    /// <returns>The report; or null with the draft's errors (none: there is no draft).</returns>
    public async Task<(TemplateImpactReport? Report, IReadOnlyList<string> Errors)> AnalyseAsync(string programId, CancellationToken cancellationToken)
    {
        StoredTemplate? draft;
        try
        {
            draft = await drafts.GetAsync(programId, cancellationToken);
        }
        catch (InvalidTemplateException e)
        {
            return (null, [e.Message]);
        }

        if (draft is null)
        {
            return (null, []);
        }

        if (publisher.DraftErrors(programId, draft) is { Count: > 0 } errors)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow();
        var current = await CurrentOrNullAsync(templates.For(programId), cancellationToken);
        var candidate = new LoadedTemplate(draft.Package.Template, draft.Package.Images, draft.ETag.ToString()) { Number = (current?.Number ?? 0) + 1, PublishedAt = now };
        var comparison = new TemplateComparison(current ?? candidate, candidate, apple, services.GetService<GooglePassContent>());

        var sample = options.Value.ImpactSampleSize;
        var members = new List<MemberEntity>();
        var defaultProgramId = wallet.Value.ProgramId;
        await foreach (var member in storage.Members.QueryAsync<MemberEntity>(
            ProgramMemberRows.Filter(programId, defaultProgramId, after: null), maxPerPage: Math.Min(sample + 1, 1000), cancellationToken: cancellationToken))
        {
            if (!ProgramMemberRows.Belongs(member.PartitionKey, programId, defaultProgramId))
            {
                continue;
            }

            members.Add(member);
            if (members.Count > sample)
            {
                break;
            }
        }

        var sampled = members.Count > sample;
        var compared = members.Take(sample).Where(m => !m.Deleted).ToList();
        var results = new (PassDifference Difference, int Devices, bool WithinCap)[compared.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, compared.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var member = compared[i];
                var devices = (await registrations.ForMemberAsync(member.PartitionKey, token)).Count(r => r.SerialNumber == member.SerialNumber);
                var withinCap = EventState.Parse(member.EventStateJson).AlertsSince(now.AddDays(-1)) < notifications.Value.MaxPerDay;
                results[i] = (comparison.Of(member.ToMember()), devices, withinCap);
            });

        var classFields = comparison.ClassFieldsChanged();
        var report = new TemplateImpactReport(
            programId,
            compared.Count,
            sampled,
            results.Count(r => r.Difference.PassChanges),
            CountFields(results.Select(r => r.Difference.PassFields)),
            results.Sum(r => r.Devices),
            results.Where(r => r.Difference.AlertFields.Count > 0 && r.WithinCap).Sum(r => r.Devices),
            results.SelectMany(r => r.Difference.AlertFields).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            notifications.Value.MaxPerDay,
            comparison.GoogleEnabled
                ? new GoogleImpact(classFields, classFields.Count > 0, results.Count(r => r.Difference.ObjectFields.Count > 0), CountFields(results.Select(r => r.Difference.ObjectFields)))
                : null);
        return (report, []);
    }

    /// <summary>The program's live template; null for a program that has not published one yet (its first draft).</summary>
    private static async Task<LoadedTemplate?> CurrentOrNullAsync(ITemplateSource template, CancellationToken cancellationToken)
    {
        try
        {
            return await template.GetCurrentAsync(cancellationToken);
        }
        catch (InvalidTemplateException)
        {
            return null;
        }
    }

    private static List<FieldCount> CountFields(IEnumerable<IReadOnlyList<string>> perMember) =>
        perMember.SelectMany(fields => fields)
            .GroupBy(field => field, StringComparer.Ordinal)
            .Select(group => new FieldCount(group.Key, group.Count()))
            .OrderByDescending(field => field.Count)
            .ThenBy(field => field.Field, StringComparer.Ordinal)
            .ToList();
}
