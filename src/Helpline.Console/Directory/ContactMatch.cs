using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Directory;

/// <summary>
/// What matching found for a contact when its record was last saved: how many local and national
/// services the caller was eligible for, against the directory as it was then. The unmet-need
/// report counts from these, so a later change to the directory never rewrites what a caller could
/// be offered at the time.
/// </summary>
internal sealed class ContactMatch
{
    public Guid ContactId { get; init; }

    /// <summary>The record revision the match was made for.</summary>
    public int RecordRevision { get; set; }

    /// <summary>The directory revision (its latest change's id) matched against.</summary>
    public long DirectoryRevision { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>Local services whose criteria (area, relationship, risk, age, gender) the caller meets, whatever their status.</summary>
    public int LocalEligible { get; set; }

    public int NationalEligible { get; set; }

    /// <summary>Of those, the ones accepting and funded that day (a match, or one to check).</summary>
    public int LocalAvailable { get; set; }

    public int NationalAvailable { get; set; }
}

internal sealed class ContactMatchConfiguration : IEntityTypeConfiguration<ContactMatch>
{
    public void Configure(EntityTypeBuilder<ContactMatch> builder)
    {
        builder.ToTable("contact_matches");
        builder.HasKey(m => m.ContactId);
        builder.Property(m => m.ContactId).ValueGeneratedNever();
        builder.HasOne<Contact>().WithOne().HasForeignKey<ContactMatch>(m => m.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Matches a record as it is saved and stages the result in the same unit of work (saved with the record).</summary>
internal sealed class ContactMatchRecorder(ConsoleDbContext db, DirectoryCatalog catalog, AreaDirectory areas, TimeProvider time)
{
    public async Task StageAsync(ContactRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var directory = await catalog.CurrentAsync(db, cancellationToken);
        var result = ServiceMatcher.Match(CallerFacts.Of(record), directory.Services, areas, DirectoryClock.Today(time));
        var row = await db.Set<ContactMatch>().FindAsync([record.ContactId], cancellationToken);
        if (row is null)
        {
            row = new ContactMatch { ContactId = record.ContactId };
            db.Add(row);
        }

        row.RecordRevision = record.Revision;
        row.DirectoryRevision = directory.Revision;
        row.ComputedAt = time.GetUtcNow();
        row.LocalEligible = result.LocalEligible;
        row.NationalEligible = result.NationalEligible;
        row.LocalAvailable = result.Matches.Count(m => m.IsLocal);
        row.NationalAvailable = result.Matches.Count(m => !m.IsLocal);
    }
}
