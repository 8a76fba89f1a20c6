using Helpline.Console.Records;

namespace Helpline.Console.Tests.Records;

public sealed class ReferenceDataTests
{
    [Fact]
    public void Every_local_authority_of_the_ONS_lookup_lies_in_one_of_the_43_forces()
    {
        var areas = new AreaDirectory();

        Assert.Equal(339, areas.LocalAuthorityCount);
        Assert.Equal(43, areas.PoliceForceCount);
        var leeds = areas.LocalAuthority("e08000035");
        Assert.NotNull(leeds);
        Assert.Equal("Leeds", leeds.Name);
        Assert.Equal("West Yorkshire Police", leeds.PoliceForceName);
        Assert.Equal("Herefordshire, County of", areas.LocalAuthority("E06000019")?.Name);
        Assert.Equal("City of London Police", areas.LocalAuthority("E09000001")?.PoliceForceName);
        Assert.Null(areas.LocalAuthority("E23000010"));
        Assert.Equal("Dyfed-Powys Police", areas.PoliceForce("W15000004")?.Name);
    }

    [Fact]
    public void Names_starting_with_the_query_come_before_names_containing_it()
    {
        var matches = new AreaDirectory().Search("york");

        Assert.Equal("York", matches[0].Name);
        Assert.All(matches, m => Assert.Contains("york", m.Name, StringComparison.OrdinalIgnoreCase));
        var firstContaining = matches.ToList().FindIndex(m => !m.Name.StartsWith("york", StringComparison.OrdinalIgnoreCase));
        Assert.True(firstContaining > 0);
        Assert.All(matches.Skip(firstContaining), m => Assert.False(m.Name.StartsWith("york", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData(0, "standard")]
    [InlineData(3, "standard")]
    [InlineData(4, "medium")]
    [InlineData(6, "medium")]
    [InlineData(7, "high")]
    [InlineData(11, "high")]
    public void The_score_is_the_weight_of_the_yes_answers_and_sets_the_band(int yes, string band)
    {
        var questionnaire = new RiskScreening().Current;
        var answers = questionnaire.Questions.Select((q, i) => (q.Id, Yes: i < yes)).ToDictionary(a => a.Id, a => a.Yes);

        var score = questionnaire.Score(answers);

        Assert.Equal(yes, score);
        Assert.Equal(band, questionnaire.BandFor(score).Id);
    }
}
