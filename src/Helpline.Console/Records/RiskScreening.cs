using System.Text.Json;

namespace Helpline.Console.Records;

/// <summary>A yes/no risk screening questionnaire, kept as data (Records/Data/risk-screening-v*.json).</summary>
internal sealed record RiskQuestionnaire(string Id, int Version, string Title, string Guidance, IReadOnlyList<RiskQuestion> Questions, IReadOnlyList<RiskBand> Bands)
{
    /// <summary>The score is the sum of the weights of the questions answered yes.</summary>
    public int Score(IReadOnlyDictionary<string, bool> answers)
    {
        return Questions.Where(q => answers.GetValueOrDefault(q.Id)).Sum(q => q.Weight);
    }

    /// <summary>The band with the highest threshold the score reaches.</summary>
    public RiskBand BandFor(int score) => Bands.Where(b => score >= b.MinScore).MaxBy(b => b.MinScore)!;
}

internal sealed record RiskQuestion(string Id, string Text, int Weight);

internal sealed record RiskBand(string Id, string Label, int MinScore);

/// <summary>
/// Every version of the questionnaire the service knows: the current one is offered for new answers;
/// answers stay tied to the version they were given in.
/// </summary>
internal sealed class RiskScreening
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<int, RiskQuestionnaire> _versions;

    public RiskScreening()
    {
        var assembly = typeof(RiskScreening).Assembly;
        _versions = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("Helpline.Console.Records.Data.risk-screening-v", StringComparison.Ordinal))
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return Check(JsonSerializer.Deserialize<RiskQuestionnaire>(stream, Json)!);
            })
            .ToDictionary(q => q.Version);
        Current = _versions.Values.MaxBy(q => q.Version) ?? throw new InvalidOperationException("No risk screening questionnaire is embedded.");
    }

    public RiskQuestionnaire Current { get; }

    public RiskQuestionnaire? Version(int version) => _versions.GetValueOrDefault(version);

    private static RiskQuestionnaire Check(RiskQuestionnaire q)
    {
        if (q.Questions.Count == 0 || q.Questions.DistinctBy(x => x.Id).Count() != q.Questions.Count
            || q.Bands.Count == 0 || !q.Bands.Any(b => b.MinScore == 0) || q.Questions.Any(x => x.Weight < 0))
        {
            throw new InvalidOperationException($"Risk screening questionnaire version {q.Version} is not valid: unique question ids, non-negative weights and a band from score 0 are needed.");
        }

        return q;
    }
}
