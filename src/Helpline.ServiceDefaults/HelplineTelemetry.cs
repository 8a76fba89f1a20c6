namespace Helpline.ServiceDefaults;

/// <summary>Names every Helpline meter and activity source starts with, so telemetry picks them up.</summary>
public static class HelplineTelemetry
{
    public const string MeterPrefix = "Helpline.";
    public const string ActivitySourcePrefix = "Helpline.";
}
