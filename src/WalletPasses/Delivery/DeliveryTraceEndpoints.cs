using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using WalletPasses.Apple;
using WalletPasses.Http;
using WalletPasses.Members;

namespace WalletPasses.Delivery;

/// <summary>
/// Traces what devices do through Apple's PassKit web service, around its handlers (which stay unaware of it):
/// "which passes changed" answers, pass fetches (200 or 304, with the version), and log lines naming a pass.
/// The rows go to <see cref="DeliveryTrace"/>'s buffer, never to storage on the request path.
/// </summary>
public static partial class DeliveryTraceEndpoints
{
    private const int MaxLogLines = 100;

    public static RouteGroupBuilder WithDeliveryTrace(this RouteGroupBuilder passKit)
    {
        passKit.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var isLog = HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Value?.EndsWith("/log", StringComparison.Ordinal) == true;
            if (isLog)
            {
                http.Request.EnableBuffering(); // read again below, after the handler
            }

            var result = await next(context);
            var trace = http.RequestServices.GetRequiredService<DeliveryTrace>();
            switch (result is INestedHttpResult nested ? nested.Result : result)
            {
                case PkPassResult pass:
                    http.Response.OnCompleted(RecordFetch, (Fetch: pass, Response: http.Response, Trace: trace)); // a static callback: no closure per fetch
                    break;
                case Ok<UpdatedPasses> listed when http.Request.RouteValues["deviceLibraryIdentifier"] is string device:
                    await ForEachMemberAsync(http, listed.Value!.SerialNumbers, (memberId, serial) =>
                        trace.Record(memberId, DeliveryTraceKinds.List, device + "|" + serial, device: device, detail: serial));
                    break;
                case Ok when isLog:
                    await TraceLogAsync(http, trace);
                    break;
            }

            return result;
        });
        return passKit;
    }

    private static Task RecordFetch(object state)
    {
        var (fetch, response, trace) = ((PkPassResult, HttpResponse, DeliveryTrace))state;
        if (fetch.AnsweredVersion is { } version)
        {
            var status = response.StatusCode;
            trace.Record(fetch.Holder.MemberId, DeliveryTraceKinds.Fetch, $"{version}|{status}", version: version, status: status);
        }

        return Task.CompletedTask;
    }

    private static async Task TraceLogAsync(HttpContext http, DeliveryTrace trace)
    {
        http.Request.Body.Position = 0;
        var lines = (await JsonSerializer.DeserializeAsync<DeviceLogBody>(http.Request.Body, JsonBody.SerializerOptions, http.RequestAborted))?.Logs ?? [];
        foreach (var line in lines.OfType<string>().Take(MaxLogLines))
        {
            var text = PassKitApi.ToSingleLine(line);
            await ForEachMemberAsync(http, SerialNumberPattern().Matches(text).Select(m => m.Value).Distinct(), (memberId, serial) =>
                trace.Record(memberId, DeliveryTraceKinds.Log, serial + "|" + text.GetHashCode(StringComparison.Ordinal), detail: text));
        }
    }

    /// <summary>The member of each serial number, from the (cached) pass index.</summary>
    private static async Task ForEachMemberAsync(HttpContext http, IEnumerable<string> serialNumbers, Action<string, string> action)
    {
        var members = http.RequestServices.GetRequiredService<MemberStore>();
        foreach (var serial in serialNumbers)
        {
            if (await members.GetPassAsync(serial, http.RequestAborted) is { } pass)
            {
                action(pass.MemberId, serial);
            }
        }
    }

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex SerialNumberPattern();
}
