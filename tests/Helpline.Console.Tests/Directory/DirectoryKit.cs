using System.Text;
using Helpline.Console.Directory;

namespace Helpline.Console.Tests.Directory;

/// <summary>The seed services as the migration reads them, and services made up for a test.</summary>
internal static class DirectoryKit
{
    public const string BrightonAndHove = "E06000043";
    public const string Crawley = "E07000226";
    public const string Sussex = "E23000033";
    public const string Carlisle = "E07000028";
    public const string Cumbria = "E23000002";
    public const string Cardiff = "W06000015";

    public static readonly DateOnly Today = new(2026, 12, 2);

    public static IReadOnlyList<SupportService> SeedServices()
    {
        using var stream = typeof(DirectorySeed).Assembly.GetManifestResourceStream("Helpline.Console.Directory.Data.services.csv")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var (rows, header) = ServiceCsv.Read(reader);
        Assert.Empty(header);
        return [.. rows.Select(r => Service(r.Id!, r.Data))];
    }

    public static SupportService Service(string id, ServiceData data)
    {
        var service = new SupportService { Id = id, Provider = "", Name = "", ReferralMethod = "", Status = "" };
        data.ApplyTo(service);
        service.Version = 1;
        return service;
    }

    /// <summary>A local service in <paramref name="areas"/>, accepting, for anyone unless the test says otherwise.</summary>
    public static SupportService Local(string id, params string[] areas) => Service(id, new ServiceData
    {
        Provider = $"{id} provider",
        Name = id,
        Areas = areas,
        ReferralMethod = DirectoryVocabulary.SecureEmail,
        ReferralEmail = $"{id}@services.example.org",
        ReferralFields = ["name", "callbackNumber", "area", "relationship", "summary"],
        Status = DirectoryVocabulary.Accepting,
    });
}
