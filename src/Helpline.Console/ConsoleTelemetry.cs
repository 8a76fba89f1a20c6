using System.Diagnostics;
using System.Diagnostics.Metrics;
using Helpline.Contracts;

namespace Helpline.Console;

internal static class ConsoleTelemetry
{
    public const string Name = "Helpline.Console";

    public static readonly ActivitySource Source = new(Name);
}

/// <summary>Console's instruments. Tags carry channels and outcomes only, never caller data.</summary>
internal sealed class ConsoleMetrics
{
    private readonly Counter<long> _contactsReceived;
    private readonly Counter<long> _redeliveries;
    private readonly Counter<long> _callbackRequests;
    private readonly Counter<long> _callsConnected;

    public ConsoleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ConsoleTelemetry.Name);
        _contactsReceived = meter.CreateCounter<long>("helpline.console.contacts.received", "{contact}", "Contacts taken in from Intake, by channel.");
        _redeliveries = meter.CreateCounter<long>("helpline.console.contacts.redelivered", "{message}", "ContactReceived or CallNotQueued messages for a contact already stored, ignored.");
        _callbackRequests = meter.CreateCounter<long>("helpline.console.callback_requests", "{message}", "Callback requests from callers turned away, by whether the message repeated one already recorded.");
        _callsConnected = meter.CreateCounter<long>("helpline.console.calls.connected", "{message}", "Calls the phone network bridged to their advisor (CallConnected), by whether the message repeated one already recorded.");
    }

    public void ContactReceived(ContactChannel channel) =>
        _contactsReceived.Add(1, new KeyValuePair<string, object?>("channel", channel.ToString()));

    public void ContactRedelivered() => _redeliveries.Add(1);

    public void CallbackRequested(bool repeated) => _callbackRequests.Add(1, Repeated(repeated));

    public void CallConnected(bool repeated) => _callsConnected.Add(1, Repeated(repeated));

    private static KeyValuePair<string, object?> Repeated(bool repeated) => new("repeated", repeated ? "true" : "false");
}
