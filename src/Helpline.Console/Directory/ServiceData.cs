namespace Helpline.Console.Directory;

/// <summary>
/// A service's editable fields, as the API takes and gives them, the CSV import reads them and the
/// history keeps them. Lists are codes (<see cref="DirectoryVocabulary"/>); empty eligibility lists mean "any".
/// </summary>
internal sealed record ServiceData
{
    public string? Provider { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? CommissioningBodyId { get; init; }

    public DateOnly? FundedFrom { get; init; }

    public DateOnly? FundedUntil { get; init; }

    public IReadOnlyList<string>? Areas { get; init; }

    public IReadOnlyList<string>? Relationships { get; init; }

    public IReadOnlyList<string>? RiskBands { get; init; }

    public int? MinAge { get; init; }

    public int? MaxAge { get; init; }

    public IReadOnlyList<string>? Genders { get; init; }

    public string? ReferralMethod { get; init; }

    public string? ReferralEmail { get; init; }

    public string? Phone { get; init; }

    public string? Website { get; init; }

    public IReadOnlyList<string>? ReferralFields { get; init; }

    public string? Hours { get; init; }

    public string? Status { get; init; }

    public DateOnly? StatusUntil { get; init; }

    public string? Notes { get; init; }

    public string? Sources { get; init; }

    public static ServiceData From(SupportService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new ServiceData
        {
            Provider = service.Provider,
            Name = service.Name,
            Description = service.Description,
            CommissioningBodyId = service.CommissioningBodyId,
            FundedFrom = service.FundedFrom,
            FundedUntil = service.FundedUntil,
            Areas = service.Areas,
            Relationships = service.Relationships,
            RiskBands = service.RiskBands,
            MinAge = service.MinAge,
            MaxAge = service.MaxAge,
            Genders = service.Genders,
            ReferralMethod = service.ReferralMethod,
            ReferralEmail = service.ReferralEmail,
            Phone = service.Phone,
            Website = service.Website,
            ReferralFields = service.ReferralFields,
            Hours = service.Hours,
            Status = service.Status,
            StatusUntil = service.StatusUntil,
            Notes = service.Notes,
            Sources = service.Sources,
        };
    }

    /// <summary>Copies validated data onto the entity; true when anything changed.</summary>
    public bool ApplyTo(SupportService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var before = From(service);
        service.Provider = Provider!;
        service.Name = Name!;
        service.Description = Description;
        service.CommissioningBodyId = CommissioningBodyId;
        service.FundedFrom = FundedFrom;
        service.FundedUntil = FundedUntil;
        service.Areas = [.. Areas ?? []];
        service.Relationships = [.. Relationships ?? []];
        service.RiskBands = [.. RiskBands ?? []];
        service.MinAge = MinAge;
        service.MaxAge = MaxAge;
        service.Genders = [.. Genders ?? []];
        service.ReferralMethod = ReferralMethod!;
        service.ReferralEmail = ReferralEmail;
        service.Phone = Phone;
        service.Website = Website;
        service.ReferralFields = [.. ReferralFields ?? []];
        service.Hours = Hours;
        service.Status = Status!;
        service.StatusUntil = StatusUntil;
        service.Notes = Notes;
        service.Sources = Sources;
        return !SameAs(before);
    }

    /// <summary>The names of the fields whose values differ from <paramref name="other"/>'s (the history's "what changed").</summary>
    public IReadOnlyList<string> ChangedFrom(ServiceData? other)
    {
        if (other is null)
        {
            return [];
        }

        var changed = new List<string>();
        void Compare<T>(string field, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                changed.Add(field);
            }
        }

        void CompareList(string field, IReadOnlyList<string>? a, IReadOnlyList<string>? b)
        {
            if (!(a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal))
            {
                changed.Add(field);
            }
        }

        Compare("provider", Provider, other.Provider);
        Compare("name", Name, other.Name);
        Compare("description", Description, other.Description);
        Compare("commissioningBodyId", CommissioningBodyId, other.CommissioningBodyId);
        Compare("fundedFrom", FundedFrom, other.FundedFrom);
        Compare("fundedUntil", FundedUntil, other.FundedUntil);
        CompareList("areas", Areas, other.Areas);
        CompareList("relationships", Relationships, other.Relationships);
        CompareList("riskBands", RiskBands, other.RiskBands);
        Compare("minAge", MinAge, other.MinAge);
        Compare("maxAge", MaxAge, other.MaxAge);
        CompareList("genders", Genders, other.Genders);
        Compare("referralMethod", ReferralMethod, other.ReferralMethod);
        Compare("referralEmail", ReferralEmail, other.ReferralEmail);
        Compare("phone", Phone, other.Phone);
        Compare("website", Website, other.Website);
        CompareList("referralFields", ReferralFields, other.ReferralFields);
        Compare("hours", Hours, other.Hours);
        Compare("status", Status, other.Status);
        Compare("statusUntil", StatusUntil, other.StatusUntil);
        Compare("notes", Notes, other.Notes);
        Compare("sources", Sources, other.Sources);
        return changed;
    }

    private bool SameAs(ServiceData other) => ChangedFrom(other).Count == 0;
}
