using Helpline.Console.Directory;
using Helpline.Console.Records;

namespace Helpline.Console.Tests.Directory;

public sealed class ServiceMatcherTests
{
    private static readonly AreaDirectory Areas = new();

    private static MatchResult Match(CallerFacts caller, IEnumerable<SupportService>? services = null) =>
        ServiceMatcher.Match(caller, services ?? DirectoryKit.SeedServices(), Areas, DirectoryKit.Today);

    private static ServiceMatch For(MatchResult result, string id) => result.Matches.Concat(result.NonMatches).Single(m => m.Service.Id == id);

    [Fact]
    public void A_Sussex_caller_stalked_by_an_acquaintance_gets_Veritas_Justice_first_then_national_services()
    {
        var result = Match(new CallerFacts(DirectoryKit.BrightonAndHove, DirectoryKit.Sussex, "friendOrAcquaintance", "standard", "25to64", "female"));

        Assert.Equal("veritas-justice", result.Matches[0].Service.Id);
        Assert.Equal(MatchOutcome.Match, result.Matches[0].Outcome);
        Assert.True(result.Matches[0].IsLocal);
        Assert.All(result.Matches.Skip(1), m => Assert.False(m.IsLocal));
        Assert.Equal(
            ["national-stalking-helpline", "protection-against-stalking", "rape-crisis-support-line", "victim-support-supportline"],
            result.Matches.Skip(1).Select(m => m.Service.Id).Order(StringComparer.Ordinal));
        Assert.Equal(1, result.LocalEligible);
        Assert.Equal(["high risk only"], For(result, "paladin").Reasons.Select(r => r.Text));
        Assert.Equal(["only stalking by an ex-partner or a family member"], For(result, "national-domestic-abuse-helpline").Reasons.Select(r => r.Text));
        Assert.Equal(["not in this area"], For(result, "live-fear-free").Reasons.Select(r => r.Text));
        Assert.Equal(["only stalking by an ex-partner or a family member", "men only"], For(result, "mens-advice-line").Reasons.Select(r => r.Text));
        Assert.Equal(["not in this area"], For(result, "london-stalking-support-service").Reasons.Select(r => r.Text));
    }

    [Fact]
    public void Where_the_only_local_service_takes_ex_partner_cases_an_acquaintance_gets_no_local_match_and_national_services()
    {
        var exPartnerOnly = DirectoryKit.Local("cumbria-domestic-abuse", DirectoryKit.Cumbria);
        exPartnerOnly.Relationships = ["exPartner"];
        var result = Match(new CallerFacts(DirectoryKit.Carlisle, DirectoryKit.Cumbria, "friendOrAcquaintance", "standard", "25to64", "female"), [.. DirectoryKit.SeedServices(), exPartnerOnly]);

        Assert.DoesNotContain(result.Matches, m => m.IsLocal);
        Assert.Equal(0, result.LocalEligible);
        Assert.Contains(result.Matches, m => m.Service.Id == "national-stalking-helpline");
        var local = For(result, "cumbria-domestic-abuse");
        Assert.Equal(MatchOutcome.NoMatch, local.Outcome);
        Assert.Equal([new MatchReason("relationship", "ex-partner stalking only")], local.Reasons);
        Assert.Equal("cumbria-domestic-abuse", result.NonMatches[0].Service.Id);

        var exPartner = Match(new CallerFacts(DirectoryKit.Carlisle, DirectoryKit.Cumbria, "exPartner", "standard", "25to64", "female"), [.. DirectoryKit.SeedServices(), exPartnerOnly]);
        Assert.Equal("cumbria-domestic-abuse", exPartner.Matches[0].Service.Id);
    }

    [Fact]
    public void What_is_not_recorded_yet_makes_a_service_one_to_check_not_a_non_match()
    {
        var result = Match(new CallerFacts(DirectoryKit.BrightonAndHove, null, null, null, null, null));

        Assert.Equal("veritas-justice", result.Matches[0].Service.Id);
        var paladin = For(result, "paladin");
        Assert.Equal(MatchOutcome.Check, paladin.Outcome);
        Assert.Equal(["high risk only: no risk screening recorded"], paladin.Reasons.Select(r => r.Text));
        Assert.Equal(["aged 16 or over only: the caller's age is not recorded"], For(result, "rape-crisis-support-line").Reasons.Select(r => r.Text));
        Assert.Equal(
            ["only stalking by an ex-partner or a family member: the relationship to the stalker is not recorded", "men only: the caller's gender is not recorded"],
            For(result, "mens-advice-line").Reasons.Select(r => r.Text));
        var firstCheck = result.Matches.ToList().FindIndex(m => m.Outcome == MatchOutcome.Check && !m.IsLocal);
        Assert.All(result.Matches.Take(firstCheck).Where(m => !m.IsLocal), m => Assert.Equal(MatchOutcome.Match, m.Outcome));
    }

    [Fact]
    public void With_no_area_recorded_national_services_for_both_nations_match_and_local_ones_do_not()
    {
        var result = Match(new CallerFacts(null, null, "exPartner", "standard", "25to64", "male"));

        Assert.All(result.Matches, m => Assert.False(m.IsLocal));
        Assert.Contains(result.Matches, m => m.Service.Id == "national-stalking-helpline");
        Assert.Equal(["England only: the caller's area is not recorded"], For(result, "national-domestic-abuse-helpline").Reasons.Where(r => r.Criterion == "area").Select(r => r.Text));
        Assert.Equal(["not in this area (the caller's area is not recorded; Sussex Police only)"], For(result, "veritas-justice").Reasons.Select(r => r.Text));
    }

    [Fact]
    public void A_waiting_list_or_ended_funding_is_a_non_match_with_its_date_but_the_caller_stays_eligible()
    {
        var services = DirectoryKit.SeedServices();
        var veritas = services.Single(s => s.Id == "veritas-justice");
        veritas.Status = DirectoryVocabulary.WaitingList;
        veritas.StatusUntil = new DateOnly(2027, 1, 31);
        var sussex = Match(new CallerFacts(DirectoryKit.BrightonAndHove, DirectoryKit.Sussex, "stranger", "high", "25to64", "female"), services);

        var waiting = For(sussex, "veritas-justice");
        Assert.Equal(MatchOutcome.NoMatch, waiting.Outcome);
        Assert.True(waiting.Eligible);
        Assert.Equal(["waiting list until 31 January 2027"], waiting.Reasons.Select(r => r.Text));
        Assert.Equal(1, sussex.LocalEligible);
        Assert.Equal("veritas-justice", sussex.NonMatches[0].Service.Id);
        Assert.Equal("paladin", sussex.Matches.First(m => m.Service.Id == "paladin").Service.Id);

        var hampshire = Match(new CallerFacts("E06000044", null, "stranger", "standard", "25to64", "female"));
        Assert.Equal(["funding ended on 31 March 2026"], For(hampshire, "stop-domestic-abuse-stalking").Reasons.Select(r => r.Text));
    }

    [Fact]
    public void A_service_for_part_of_a_force_area_matches_its_local_authorities_and_asks_when_the_authority_is_not_known()
    {
        var brighton = DirectoryKit.Local("brighton-only", DirectoryKit.BrightonAndHove);

        Assert.Equal(MatchOutcome.Match, For(Match(new CallerFacts(DirectoryKit.BrightonAndHove, DirectoryKit.Sussex, null, null, null, null), [brighton]), "brighton-only").Outcome);
        Assert.Equal(
            ["not in this area (Brighton and Hove only)"],
            For(Match(new CallerFacts(DirectoryKit.Crawley, DirectoryKit.Sussex, null, null, null, null), [brighton]), "brighton-only").Reasons.Select(r => r.Text));
        var forceOnly = For(Match(new CallerFacts(null, DirectoryKit.Sussex, null, null, null, null), [brighton]), "brighton-only");
        Assert.Equal(MatchOutcome.Check, forceOnly.Outcome);
        Assert.Equal(["only part of Sussex Police: Brighton and Hove; the caller's local authority is not recorded"], forceOnly.Reasons.Select(r => r.Text));
    }

    [Fact]
    public void A_service_elsewhere_says_only_that_it_is_not_in_this_area_whatever_else_it_would_refuse()
    {
        var cumbria = DirectoryKit.Local("cumbria-ex-partner-high-risk", DirectoryKit.Cumbria);
        cumbria.Relationships = ["exPartner"];
        cumbria.RiskBands = ["high"];
        cumbria.Status = DirectoryVocabulary.WaitingList;
        var crawley = DirectoryKit.Local("crawley-ex-partner", DirectoryKit.Crawley);
        crawley.Relationships = ["exPartner"];
        var result = Match(new CallerFacts(DirectoryKit.BrightonAndHove, DirectoryKit.Sussex, "stranger", "standard", "25to64", "female"), [cumbria, crawley]);

        Assert.Empty(result.Matches);
        Assert.Equal([new MatchReason("area", "not in this area")], For(result, "cumbria-ex-partner-high-risk").Reasons);
        Assert.Equal([new MatchReason("area", "not in this area (Crawley only)")], For(result, "crawley-ex-partner").Reasons);
        Assert.All(result.NonMatches, m => Assert.False(m.Eligible));
    }

    [Fact]
    public void Services_covering_the_callers_local_authority_rank_before_those_for_the_whole_force_area()
    {
        var force = DirectoryKit.Local("a-sussex-wide", DirectoryKit.Sussex);
        var town = DirectoryKit.Local("z-brighton", DirectoryKit.BrightonAndHove);

        var result = Match(new CallerFacts(DirectoryKit.BrightonAndHove, DirectoryKit.Sussex, null, null, null, null), [force, town]);

        Assert.Equal(["z-brighton", "a-sussex-wide"], result.Matches.Select(m => m.Service.Id));
    }

    [Theory]
    [InlineData("16to17", "NoMatch", "aged 18 to 25 only")]
    [InlineData("18to24", "Match", null)]
    [InlineData("25to64", "Check", "aged 18 to 25 only: check the caller's age")]
    public void Age_groups_are_matched_against_the_services_ages(string ageGroup, string outcome, string? reason)
    {
        var young = DirectoryKit.Local("young-people", DirectoryKit.Sussex);
        young.MinAge = 18;
        young.MaxAge = 25;

        var match = For(Match(new CallerFacts(null, DirectoryKit.Sussex, null, null, ageGroup, null), [young]), "young-people");

        Assert.Equal(outcome, match.Outcome.ToString());
        Assert.Equal(reason is null ? [] : [reason], match.Reasons.Select(r => r.Text));
    }

    [Fact]
    public void The_same_caller_and_directory_give_the_same_list_whatever_order_the_services_come_in()
    {
        var caller = new CallerFacts(DirectoryKit.Cardiff, null, "colleague", "medium", "18to24", "nonBinary");
        var services = DirectoryKit.SeedServices();
        var expected = Match(caller, services);

        for (var seed = 1; seed <= 20; seed++)
        {
            var shuffled = services.OrderBy(_ => Random.Shared.Next()).ToList();
            var again = Match(caller, shuffled);
            Assert.Equal(expected.Matches.Select(m => (m.Service.Id, m.Outcome)), again.Matches.Select(m => (m.Service.Id, m.Outcome)));
            Assert.Equal(expected.NonMatches.Select(m => (m.Service.Id, string.Join("|", m.Reasons))), again.NonMatches.Select(m => (m.Service.Id, string.Join("|", m.Reasons))));
        }

        Assert.Equal("live-fear-free", expected.Matches[0].Service.Id);
    }
}
