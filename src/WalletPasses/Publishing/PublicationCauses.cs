namespace WalletPasses.Publishing;

/// <summary>What a publication brings every pass to.</summary>
public static class PublicationCauses
{
    /// <summary>A new template version (<see cref="PublicationEntity.TemplateVersion"/>).</summary>
    public const string Template = "template";

    /// <summary>A new revision of the pop-ups passes carry (<see cref="PublicationEntity.PopupRevision"/>); the template stays.</summary>
    public const string Popups = "popups";
}
