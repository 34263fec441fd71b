namespace WalletPasses.Publishing;

/// <summary>Section <c>WalletPasses:Publishing</c>: template uploads, the impact dry run and the bulk re-issue after a publication.</summary>
public sealed class PublishingOptions
{
    public const string Section = "WalletPasses:Publishing";

    /// <summary>The largest template zip accepted by <c>PUT …/template</c>.</summary>
    public long MaxZipBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The most entries (template.json and images) a template zip may have.</summary>
    public int MaxZipEntries { get; set; } = 200;

    /// <summary>The most bytes a template zip's files may inflate to, all together.</summary>
    public long MaxUncompressedBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>The dry run compares at most this many members' passes (the first ones by member id); the answer says when it sampled.</summary>
    public int ImpactSampleSize { get; set; } = 2000;

    /// <summary>Members re-issued per second at most, per publication, across all instances (APNs and Table Storage spare capacity).</summary>
    public int MembersPerSecond { get; set; } = 200;

    /// <summary>Members read and re-issued per checkpoint: a crash redoes at most this many (without pushing anyone twice).</summary>
    public int ChunkSize { get; set; } = 100;

    /// <summary>Members of a chunk re-issued side by side.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>How long one run of the re-issue job works before it returns (the timer starts the next); below the Functions timeout.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>A run holds the publication this long past its last checkpoint; an instance that died is taken over after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public TemplateZipLimits ZipLimits() => new(MaxZipBytes, MaxZipEntries, MaxUncompressedBytes);
}
