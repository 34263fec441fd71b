namespace WalletPasses.Publishing;

/// <summary>What <see cref="TemplatePublisher.PublishAsync"/> did.</summary>
public enum PublishOutcome
{
    /// <summary>A new template version is current; its re-issue starts with the job's next run.</summary>
    Started,

    /// <summary>This draft was published already: its publication is answered again.</summary>
    AlreadyPublished,

    NoDraft,

    /// <summary>The draft has errors (<see cref="PublishResult.Errors"/>); nothing changed.</summary>
    DraftInvalid,

    /// <summary>Another publication made the same version number current first; nothing changed.</summary>
    Conflict,
}
