using Helpline.Console.Data;
using Helpline.Console.Reporting;
using Helpline.Console.Retention;
using Helpline.Console.Tests.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Console.Tests.Retention;

/// <summary>The retention job over a seeded year: personal data past its time erased, the reports unchanged.</summary>
public sealed class RetentionTests
{
    private const string Now = "2026-12-01 12:00:00";

    private static async Task<IReadOnlyDictionary<string, long>> RunAsync(ReportSeed seed, RetentionOptions options)
    {
        var builder = new DbContextOptionsBuilder<ConsoleDbContext>();
        builder.UseHelplinePostgres(seed.Database.ConnectionString, ConsoleDbContext.Schema);
        await using var db = new ConsoleDbContext(builder.Options);
        return await new RetentionJob(db, Options.Create(options), new FakeTimeProvider(ReportSeed.Local(Now))).RunAsync(CancellationToken.None);
    }

    private static async Task<string> ReportAsync(ReportSeed seed) =>
        JsonSerializer.Serialize(await seed.ReportAsync("2025-12-01", "2026-11-30", ReportGrouping.Month, Now));

    [Fact]
    public async Task A_second_run_changes_nothing_and_the_report_reads_the_same_figures_before_and_after()
    {
        await using var seed = await ReportSeed.CreateAsync();
        var advisor = seed.NewAdvisor("x");
        var contacts = new List<(Guid Id, DateTimeOffset At)>();
        for (var month = 0; month < 12; month++)
        {
            var day = ReportSeed.Local($"2025-12-05 10:00:00").AddMonths(month).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var answered = seed.Contact($"{day} 10:00:00", $"caller-{month % 4}");
            seed.Event(answered, "Queued", $"{day} 10:00:00").Event(answered, "Assigned", $"{day} 10:00:20", advisor, wait: 20)
                .Event(answered, "Answered", $"{day} 10:00:21", advisor).Event(answered, "Ended", $"{day} 10:06:00", advisor, "Completed", 20);
            var abandoned = seed.Contact($"{day} 11:00:00", $"caller-{month % 3}");
            seed.Event(abandoned, "Queued", $"{day} 11:00:00").Event(abandoned, "CallerHungUp", $"{day} 11:00:40").Event(abandoned, "Ended", $"{day} 11:00:40", outcome: "Abandoned", wait: 40);
            var email = seed.Contact($"{day} 12:00:00", $"sender-{month % 2}", "Email");
            seed.Event(email, "EmailReceived", $"{day} 12:00:00").Event(email, "ReplySent", $"{day} 13:00:00", advisor, wait: 3600);
            contacts.Add((answered, ReportSeed.Local($"{day} 10:00:00")));
            contacts.Add((email, ReportSeed.Local($"{day} 12:00:00")));
        }

        await seed.SaveAsync();
        foreach (var (id, at) in contacts)
        {
            await seed.Database.ExecuteAsync($"""
                INSERT INTO console.contact_records (contact_id, revision, advisor_id, created_at, updated_at, police_force_code, relationship, needs, outcomes, urgent,
                                                     encrypted_callback_number, encrypted_safe_times, encrypted_email, encrypted_notes, outward_code)
                VALUES ('{id}', 1, '{Guid.Empty}', '{at:O}', '{at:O}', 'E23000001', 'exPartner', ARRAY['referral'], ARRAY[]::text[], false,
                        'v1:number', 'v1:times', 'v1:email', 'v1:notes', 'SW1A');
                INSERT INTO console.email_messages (id, contact_id, direction, encrypted_from, encrypted_subject, encrypted_text, at, attempts)
                VALUES ('{Guid.NewGuid()}', '{id}', 'Inbound', 'v1:from', 'v1:subject', 'v1:body', '{at:O}', 0);
                """);
        }

        var before = await ReportAsync(seed);
        var options = new RetentionOptions { ContactRecords = TimeSpan.FromDays(180), EmailBodies = TimeSpan.FromDays(90), BatchSize = 5 };
        const string OldRecords = "SELECT count(*) FROM console.contact_records r JOIN console.contacts k ON k.id = r.contact_id WHERE k.received_at < timestamptz '2026-06-04 12:00:00+01'";

        var first = await RunAsync(seed, options);
        var second = await RunAsync(seed, options);

        var old = await seed.Database.CountAsync(OldRecords);
        Assert.Equal(12, old);
        Assert.Equal(old, first["contact_records"]);
        Assert.Equal(18, first["contacts"]);
        Assert.Equal(18, first["email_messages"]);
        Assert.All(second, kind => Assert.Equal(0, kind.Value));
        Assert.Equal(before, await ReportAsync(seed));
        Assert.Equal(old, await seed.Database.CountAsync(OldRecords + " AND r.encrypted_callback_number IS NULL AND r.encrypted_safe_times IS NULL AND r.encrypted_email IS NULL AND r.encrypted_notes IS NULL AND r.outward_code IS NULL AND k.caller_key IS NULL AND k.provider_reference = '' AND r.police_force_code = 'E23000001' AND r.needs = ARRAY['referral']"));
        Assert.Equal(24 - old, await seed.Database.CountAsync("SELECT count(*) FROM console.contact_records WHERE encrypted_callback_number = 'v1:number' AND encrypted_notes = 'v1:notes' AND outward_code = 'SW1A'"));
        Assert.Equal(18, await seed.Database.CountAsync("SELECT count(*) FROM console.contacts WHERE caller_key IS NOT NULL AND provider_reference <> ''"));
        Assert.Equal(6, await seed.Database.CountAsync("SELECT count(*) FROM console.email_messages WHERE encrypted_text = 'v1:body' AND encrypted_subject = 'v1:subject'"));
        Assert.Equal(18, await seed.Database.CountAsync("SELECT count(*) FROM console.email_messages WHERE encrypted_text IS NULL AND encrypted_from IS NULL AND encrypted_subject = ''"));
    }
}
