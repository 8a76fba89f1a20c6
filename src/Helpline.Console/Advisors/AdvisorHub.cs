using Helpline.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Advisors;

/// <summary>What the server calls on an advisor's browser (or any SignalR client) at <c>/hubs/advisor</c>.</summary>
public interface IAdvisorClient
{
    Task ContactOffered(ContactOffered offer);
}

/// <summary>A contact offered to the advisor. Carries no caller data beyond whether the number was withheld.</summary>
public sealed record ContactOffered(Guid OfferId, Guid ContactId, ContactChannel Channel, DateTimeOffset ReceivedAt, bool Withheld);

/// <summary>The advisors' live connection. See docs/api.md for the contract.</summary>
public sealed class AdvisorHub : Hub<IAdvisorClient>
{
    public const string Path = "/hubs/advisor";
}
