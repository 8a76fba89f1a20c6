
namespace Helpline.Console.Tests.Reporting;

public sealed class ReportingEndpointTests : IAsyncLifetime
{
    /// <summary>Every report and staffing endpoint, with valid parameters.</summary>
    public static readonly TheoryData<string> Endpoints = new()
    {
        "/api/reports/intervals?from=2026-03-29&to=2026-03-29&interval=30m",
        "/api/reports/intervals.csv?from=2026-03-29&to=2026-03-29&interval=30m",
        "/api/reports/staffing?from=2026-03-29&to=2026-03-29&interval=30m",
        "/api/reports/unanswered-by-hour?from=2026-03-01&to=2026-03-31",
        "/api/staffing/what-if?callsPerHour=12&handleTimeSeconds=600&patienceSeconds=120",
    };

    /// <summary>The CSV's columns with the default configuration: stable, documented in docs/reporting.md.</summary>
    private const string CsvHeader =
        "row,interval_start,interval_end,local_start,local_end,length_minutes,clock_change,label," +
        "calls_received,calls_in_hours,calls_out_of_hours,calls_offered,calls_answered," +
        "unanswered_out_of_hours,unanswered_no_advisors,unanswered_abandoned,unanswered_short_abandon,unanswered_overflow,unanswered_total," +
        "calls_still_open,callbacks_requested,answer_rate," +
        "callers_distinct,withheld_calls,callers_never_answered,withheld_calls_never_answered,attempts_per_caller," +
        "answered_within_threshold,abandoned_within_threshold,service_level,service_level_2,asa_seconds,longest_wait_seconds,aht_seconds,handled_calls,total_wait_seconds," +
        "answered_wait_le_10s,answered_wait_le_20s,answered_wait_le_30s,answered_wait_le_60s,answered_wait_le_120s,answered_wait_le_300s,answered_wait_le_600s,answered_wait_over_600s," +
        "abandoned_wait_le_10s,abandoned_wait_le_20s,abandoned_wait_le_30s,abandoned_wait_le_60s,abandoned_wait_le_120s,abandoned_wait_le_300s,abandoned_wait_le_600s,abandoned_wait_over_600s," +
        "staffed_seconds,available_seconds,offered_seconds,on_contact_seconds,wrap_up_seconds,break_seconds," +
        "break_lunch_seconds,break_training_seconds,break_debrief_seconds,break_other_seconds,break_missed_offers_seconds,break_other_reasons_seconds," +
        "occupancy,advisors_signed_in,advisors_staffed_average," +
        "emails_received,email_conversations_opened,email_conversations_closed,email_backlog_at_end";

    private ConsoleRig _rig = null!;
    private HttpClient _supervisor = null!;

    public async Task InitializeAsync()
    {
        _rig = await ConsoleRig.StartAsync();
        _supervisor = await TestAccounts.ClientAsync(_rig.Console.Address, await TestAccounts.EnsureUserAsync(_rig.Console.Address, "sam", "Supervisor"));
    }

    public async Task DisposeAsync()
    {
        _supervisor.Dispose();
        await _rig.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Anonymous_callers_advisors_and_admins_are_refused_and_supervisors_served(string path)
    {
        using var anonymous = _rig.Console.CreateHttpClient();
        using var advisor = await TestAccounts.ClientAsync(_rig.Console.Address, await TestAccounts.EnsureUserAsync(_rig.Console.Address, "alice", "Advisor"));
        using var admin = await TestAccounts.ClientAsync(_rig.Console.Address, await TestAccounts.EnsureUserAsync(_rig.Console.Address, "ada", "Admin"));
        using var forged = await TestAccounts.ClientAsync(_rig.Console.Address, "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _supervisor.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_CSV_has_the_documented_columns_a_line_per_interval_and_a_total()
    {
        var csv = await _supervisor.GetStringAsync("/api/reports/intervals.csv?from=2026-10-25&to=2026-10-25&interval=60m");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(CsvHeader, lines[0]);
        Assert.Equal(24 + 1, lines.Length - 1);
        Assert.All(lines.Skip(1), line => Assert.Equal(CsvHeader.Split(',').Length, SplitCsv(line).Count));
        Assert.StartsWith("total,", lines[^1], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains("\"Sun 25 Oct 2026 01:00–02:00 (2 hours, clocks changed)\"", StringComparison.Ordinal) || line.Contains(",Sun 25 Oct 2026 01:00–02:00 (2 hours, clocks changed),", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(",120,true,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_report_states_the_choices_it_was_computed_with()
    {
        var report = await _supervisor.GetFromJsonAsync<JsonElement>("/api/reports/intervals?from=2026-03-29&to=2026-03-29&interval=30m&threshold=30&sl2ShortAbandons=true");

        var definitions = report.GetProperty("definitions");
        Assert.Equal(30, definitions.GetProperty("serviceLevelThresholdSeconds").GetInt32());
        Assert.True(definitions.GetProperty("serviceLevel2CountsShortAbandons").GetBoolean());
        Assert.Equal(46, report.GetProperty("intervals").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("totals").GetProperty("service").GetProperty("serviceLevel").ValueKind);
        Assert.Equal("Europe/London", report.GetProperty("timeZone").GetString());
    }

    [Theory]
    [InlineData("/api/reports/intervals?to=2026-03-01", "from")]
    [InlineData("/api/reports/intervals?from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("/api/reports/intervals?from=2026-13-01&to=2026-03-01", "from")]
    [InlineData("/api/reports/intervals?from=2026-03-01&to=2026-03-01&interval=fortnight", "interval")]
    [InlineData("/api/reports/intervals?from=2020-01-01&to=2026-12-31&interval=15m", "interval")]
    [InlineData("/api/reports/intervals?from=2026-03-01&to=2026-03-01&threshold=0", "threshold")]
    [InlineData("/api/reports/intervals.csv?from=2026-03-01", "to")]
    [InlineData("/api/reports/staffing?from=2026-03-01&to=2026-03-31&interval=day", "interval")]
    [InlineData("/api/reports/unanswered-by-hour?from=2026-03-01", "to")]
    [InlineData("/api/staffing/what-if?handleTimeSeconds=600", "callsPerHour")]
    [InlineData("/api/staffing/what-if?callsPerHour=10&handleTimeSeconds=0", "handleTimeSeconds")]
    [InlineData("/api/staffing/what-if?callsPerHour=10&handleTimeSeconds=600&shrinkage=1", "shrinkage")]
    public async Task Bad_parameters_are_a_400_naming_the_field(string path, string field)
    {
        var response = await _supervisor.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Theory]
    [InlineData("/api/reports/intervals?from=2026-03-01&to=2026-03-01&threshold=abc")]
    [InlineData("/api/reports/intervals?from=2026-03-01&to=2026-03-01&sl2ShortAbandons=perhaps")]
    [InlineData("/api/staffing/what-if?callsPerHour=lots&handleTimeSeconds=600")]
    public async Task Unreadable_parameters_are_a_400_problem(string path)
    {
        var response = await _supervisor.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_what_if_gives_both_models_and_a_table_around_them()
    {
        var whatIf = await _supervisor.GetFromJsonAsync<JsonElement>("/api/staffing/what-if?callsPerHour=200&handleTimeSeconds=180&thresholdSeconds=20&maxOccupancy=0.85&shrinkage=0.3&patienceSeconds=90&advisors=12");

        Assert.Equal(10, whatIf.GetProperty("traffic").GetDouble(), 9);
        Assert.Equal(14, whatIf.GetProperty("erlangC").GetProperty("advisors").GetInt32());
        Assert.Equal(20, whatIf.GetProperty("erlangC").GetProperty("scheduled").GetInt32());
        var rows = whatIf.GetProperty("byAdvisors").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("advisors").GetInt32() == 12);
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Object, r.GetProperty("erlangA").ValueKind));
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
