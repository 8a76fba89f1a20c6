using System.Globalization;
using System.Text;
using CsCheck;

namespace Helpline.Testing.Hostile;

/// <summary>One generated hostile request: its path (route values replaced), headers, content type and body, and a short label of each choice.</summary>
public sealed record HostileRequest(string Path, string? ContentType, byte[]? Body, IReadOnlyList<(string Name, string Value)> Headers, string Label)
{
    /// <summary>The form fields of a Twilio webhook, which the sender signs; null for other requests.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Form { get; init; }
}

/// <summary>
/// CsCheck generators of hostile HTTP input: JSON of random shapes and wrong types (with the field names
/// the services use, so validation is reached), huge strings, deep nesting, invalid UTF-8, truncated
/// documents, form and multipart junk; wrong, missing and malformed content types; junk headers; route
/// values of the wrong type, overlong or strangely encoded; junk query strings.
/// </summary>
public static class HostileInput
{
    private static readonly string[] FieldNames =
    [
        "id", "name", "userName", "password", "roles", "skills", "status", "reason", "contactId", "providerCallId",
        "callerNumber", "dialledNumber", "postcode", "subject", "body", "text", "html", "templateId", "start", "end",
        "from", "to", "date", "outcome", "consent", "serviceId", "areaCode", "email", "phone", "notes", "risk",
        "answers", "version", "emailCapacity", "callEndpoint", "disabled", "referralId", "consentId", "code",
    ];

    private static readonly string[] QueryNames = ["from", "to", "date", "day", "at", "page", "q", "query", "skill", "area", "postcode", "useCookies", "limit", "format", "interval"];

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char[' ', '~'], 0, 40],
        Gen.String[Gen.Char, 0, 20],
        Gen.OneOf("", " ", "null", "-1", "0", "NaN", "2026-13-45", "2026-02-30T25:61:00Z", "99999999999999999999", "\0", "\u202E", "<script>", "'; DROP TABLE contacts;--", "../../etc/passwd", "%00", "CA00000000000000000000000000000000", "00000000-0000-0000-0000-000000000000"));

    private static readonly Gen<string> JsonString = Text.Select(s => System.Text.Json.JsonSerializer.Serialize(s));

    private static readonly Gen<string> JsonScalar = Gen.OneOf(
        Gen.OneOf("null", "true", "false", "0", "-0", "1e400", "-1", "3.5", "99999999999999999999999999", "\"\"", "[]", "{}"),
        Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999"),
        JsonString,
        Gen.Guid.Select(g => $"\"{g}\""));

    private static readonly Gen<string> JsonValue = Json(3);

    private static Gen<string> Json(int depth) => depth == 0
        ? JsonScalar
        : Gen.Frequency(
            (4, JsonScalar),
            (2, Object(Json(depth - 1))),
            (1, Json(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")));

    private static Gen<string> Object(Gen<string> values) =>
        Gen.Select(Gen.OneOf(Gen.OneOf(FieldNames), Text), values).Array[0, 8]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => System.Text.Json.JsonSerializer.Serialize(p.Item1) + ":" + p.Item2)) + "}");

    private static readonly Gen<(string Label, byte[]? Body)> Bodies = Gen.Frequency(
        (2, Gen.Const<(string, byte[]?)>(("none", null))),
        (2, Gen.Const<(string, byte[]?)>(("empty", []))),
        (8, Object(JsonValue).Select(j => ("object", (byte[]?)Encoding.UTF8.GetBytes(j)))),
        (3, JsonValue.Select(j => ("json", (byte[]?)Encoding.UTF8.GetBytes(j)))),
        (2, Gen.Int[65, 5000].Select(n => ("deep-array", (byte[]?)Encoding.ASCII.GetBytes(new string('[', n) + new string(']', n))))),
        (2, Gen.Int[65, 2000].Select(n => ("deep-object", (byte[]?)Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"name\":", n)) + "1" + new string('}', n))))),
        (1, Gen.Select(Gen.OneOf(FieldNames), Gen.Int[100_000, 1_000_000]).Select((field, n) => ("huge-string", (byte[]?)Encoding.ASCII.GetBytes($"{{\"{field}\":\"{new string('a', n)}\"}}")))),
        (1, Gen.Int[10_000, 100_000].Select(n => ("huge-array", (byte[]?)Encoding.ASCII.GetBytes("[" + string.Join(",", Enumerable.Repeat("1", n)) + "]")))),
        (2, Gen.Select(Gen.OneOf(FieldNames), Gen.Byte[0x80, 0xFF].Array[1, 8]).Select((field, junk) => ("invalid-utf8", (byte[]?)[.. Encoding.ASCII.GetBytes($"{{\"{field}\":\""), .. junk, .. Encoding.ASCII.GetBytes("\"}")]))),
        (2, Gen.Select(Object(JsonValue), Gen.Double[0, 1]).Select((j, f) => ("truncated", (byte[]?)Encoding.UTF8.GetBytes(j[..(int)(j.Length * f)])))),
        (1, Gen.Byte.Array[1, 200].Select(b => ("binary", (byte[]?)b))),
        (1, Gen.Const<(string, byte[]?)>(("form-junk", Encoding.ASCII.GetBytes("a=1&a=2&%ZZ=&=x&name=%C3%28")))),
        (1, Gen.Const<(string, byte[]?)>(("multipart-junk", Encoding.ASCII.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../a\"\r\n\r\njunk")))));

    private static readonly Gen<string?> ContentTypes = Gen.OneOf<string?>(
        null, "application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "application/json; charset=\"",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "multipart/form-data", "application/xml",
        "application/problem+json", ";;;", "*/*", "application/json, text/plain");

    private static readonly Gen<(string Name, string Value)[]> Headers = Gen.OneOf(
        ("Accept", "application/xml"), ("Accept", "*/*;q=abc"), ("Accept-Language", "zz-ZZ;q=2"), ("Accept-Encoding", "gzip;q=x, br"),
        ("X-Forwarded-For", "not-an-address"), ("X-Forwarded-Proto", "gopher"), ("If-None-Match", "\"\""), ("If-Modified-Since", "yesterday"),
        ("Origin", "https://evil.example"), ("Cookie", ".AspNetCore.Identity.Application=garbage; helpline=%ZZ"), ("X-Request-Id", new string('r', 4000)),
        ("Range", "bytes=99999-1"), ("X-HTTP-Method-Override", "DELETE"), ("Traceparent", "00-zz-zz-zz")).Array[0, 3];

    /// <summary>Authorization headers an anonymous caller might try.</summary>
    public static readonly Gen<(string Name, string Value)[]> ForgedCredentials = Gen.OneOf<(string, string)[]>(
        [], [("Authorization", "Bearer garbage")], [("Authorization", "Bearer ")], [("Authorization", "Basic YWRtaW46YWRtaW4=")],
        [("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJBZG1pbiJ9.")], [("X-Twilio-Signature", "forged")]);

    private static readonly Gen<string> RouteValues = Gen.OneOf(
        Gen.OneOf("x", "-1", "0", "99999999999999999999", "1.5", "null", "%00", "%ZZ", "%C3%28", "%E2%80%AE", "..%2F..%2Fhealth", "%20", "{id}", "00000000-0000-0000-0000-000000000000"),
        Gen.Int[256, 3000].Select(n => new string('a', n)),
        Gen.Guid.Select(g => g.ToString("N")),
        Gen.String[Gen.Char['!', '~'], 1, 30].Select(Uri.EscapeDataString));

    private static readonly Gen<string> Queries = Gen.Frequency(
        (3, Gen.Const("")),
        (3, Gen.Select(Gen.OneOf(Gen.OneOf(QueryNames), Text.Select(Uri.EscapeDataString)), Gen.OneOf(Text.Select(Uri.EscapeDataString), Gen.OneOf("%ZZ", "%C3%28", new string('9', 400)))).Array[1, 4]
            .Select(pairs => "?" + string.Join("&", pairs.Select(p => p.Item1 + "=" + p.Item2)))));

    /// <summary>The route's template values: the working value (from the survey) most of the time, a hostile one otherwise.</summary>
    private static Gen<string> Paths(Door door)
    {
        var template = door.Route.Split('/');
        var working = door.Path.Split('/');
        var segments = template.Select((segment, i) => segment.Contains('{', StringComparison.Ordinal)
            ? Gen.Frequency((1, Gen.Const(working[i])), (1, RouteValues))
            : Gen.Const(segment)).ToArray();
        var path = segments.Skip(1).Aggregate(segments[0], (p, s) => Gen.Select(p, s, (a, b) => a + "/" + b));
        return Gen.Select(path, Queries, (p, q) => p + q);
    }

    /// <summary>Hostile requests for the door: everything generated, with the declared content type among the choices.</summary>
    public static Gen<HostileRequest> For(Door door) =>
        Gen.Select(Paths(door), Gen.Frequency((3, ContentTypes), (1, Gen.Const<string?>(door.ContentType))), Bodies, Headers,
            (path, contentType, body, headers) => new HostileRequest(path, contentType, body.Body, headers, $"{body.Label} as {contentType ?? "no type"}, junk headers [{string.Join(" ", headers.Select(h => h.Name))}]"));

    /// <summary>Twilio-shaped forms: the account's sid and a random choice of Twilio's fields, each with a hostile or plausible value.</summary>
    public static Gen<HostileRequest> TwilioForms(Door door, string accountSid)
    {
        string[] fields = ["CallSid", "From", "To", "CallStatus", "Digits", "DialCallStatus", "DialCallDuration", "QueueTime", "CallDuration", "Caller", "Direction", "SpeechResult"];
        var values = Gen.OneOf(Text, Gen.OneOf("CA0123456789abcdef0123456789abcdef", "+448088020300", "+447700900123", "completed", "busy", "no-answer", "1", "*"), Gen.Int[256, 5000].Select(n => new string('9', n)));
        return Gen.Select(Gen.Select(Gen.OneOf(fields), values).Array[0, 6], Queries, Headers, (form, query, headers) =>
        {
            var pairs = form.DistinctBy(f => f.Item1).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).Append(new("AccountSid", accountSid)).ToList();
            var body = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            return new HostileRequest(door.Path + query, "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(body), headers, $"signed form of {pairs.Count} field(s)") { Form = pairs };
        });
    }
}
