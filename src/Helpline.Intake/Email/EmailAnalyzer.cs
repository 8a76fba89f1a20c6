using System.Text;
using System.Text.RegularExpressions;
using Helpline.Contracts;
using MimeKit;
using MimeKit.Text;

namespace Helpline.Intake.Email;

/// <summary>An attachment as read from a message, not yet encrypted.</summary>
internal sealed record ReadAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// What <see cref="EmailAnalyzer"/> read from one raw message. Nothing here is logged: every string but
/// <see cref="QuarantineReason"/> (which never quotes the message) is personal data until encrypted.
/// </summary>
internal sealed record ReadEmail
{
    /// <summary>The Message-ID without angle brackets; null when absent or unreadable.</summary>
    public string? MessageId { get; init; }

    /// <summary>Stable headers (Date, From, To, Cc, Subject, Content-Type) joined: the dedupe key's source when there is no Message-ID.</summary>
    public required string HeaderFingerprint { get; init; }

    /// <summary>The sender's address in lower case; null when there is no readable sender.</summary>
    public string? FromAddress { get; init; }

    /// <summary><c>Name &lt;address&gt;</c>, as shown to the advisor.</summary>
    public string FromDisplay { get; init; } = "";

    public string Subject { get; init; } = "";

    public string? Text { get; init; }

    public string? Html { get; init; }

    public IReadOnlyList<ReadAttachment> Attachments { get; init; } = [];

    /// <summary>Message-IDs this message answers: In-Reply-To, References, and the original a delivery report is about.</summary>
    public IReadOnlyList<string> ThreadIds { get; init; } = [];

    /// <summary>The References to carry on in a reply to this message (its own References then its Message-ID come last).</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Outlook's Thread-Index, when the sender's client sent one.</summary>
    public string? ThreadIndex { get; init; }

    /// <summary>Conversation tokens found in the subject (<c>[ref:token]</c>) or in a recipient's address tag (<c>local+token@domain</c>).</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    public AutomaticReason? Automatic { get; init; }

    /// <summary>Why the message is quarantined (strict reading only); null when it may go to an advisor.</summary>
    public string? QuarantineReason { get; init; }
}

/// <summary>
/// Reads a raw message (RFC 5322 / MIME) into what Intake stores, deciding whether it is automatic
/// (RFC 3834) or must be quarantined (<see cref="EmailLimits"/>). Pure and total: whatever the bytes,
/// it returns a result and never throws (an unreadable message is a quarantine reason), so a hostile
/// message can neither crash the reader nor loop. The lenient reading (a supervisor's release) keeps
/// what can be read within the limits and leaves out the rest.
/// </summary>
internal static partial class EmailAnalyzer
{
    /// <summary>The subject marker of a conversation token: <c>[ref:token]</c>.</summary>
    public static string SubjectMarker(string token) => $"[ref:{token}]";

    private const string Unreadable = "(This part of the message could not be read and was left out.)";

    static EmailAnalyzer() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <param name="raw">The message, or only its headers when it is over <see cref="EmailLimits.MaxMessageBytes"/> (it is then not fetched).</param>
    /// <param name="size">The message's size on the server.</param>
    public static ReadEmail Analyze(byte[] raw, long size, EmailLimits limits, bool lenient)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(limits);
        var read = Read(raw, limits, lenient);
        if (size <= limits.MaxMessageBytes)
        {
            return read;
        }

        return lenient
            ? read with { Text = $"(This message is {size} bytes, too large to fetch; only its headers were read. It is still in the helpline's mailbox.)" }
            : read with { QuarantineReason = $"The message is {size} bytes, over the limit of {limits.MaxMessageBytes}." };
    }

    private static ReadEmail Read(byte[] raw, EmailLimits limits, bool lenient)
    {
        if (raw.Length == 0)
        {
            return Quarantined(lenient, "The message is empty (0 bytes).", Fingerprint(raw));
        }

        MimeMessage message;
        try
        {
            var options = ParserOptions.Default.Clone();
            options.MaxMimeDepth = limits.MaxNestingDepth + 1;
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(options, stream);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException or IOException or NotSupportedException)
        {
            return Quarantined(lenient, "The message is not readable MIME.", Fingerprint(raw));
        }

        try
        {
            return new Reading(message, raw, limits, lenient).Read();
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException or IOException or NotSupportedException or DecoderFallbackException or OverflowException or IndexOutOfRangeException)
        {
            return Quarantined(lenient, "The message's structure could not be read.", Fingerprint(raw));
        }
    }

    /// <summary>A reading that gave up: quarantined (strict), or an empty message with a note (lenient).</summary>
    private static ReadEmail Quarantined(bool lenient, string reason, string fingerprint) => new()
    {
        HeaderFingerprint = fingerprint,
        Text = lenient ? Unreadable : null,
        QuarantineReason = lenient ? null : reason,
    };

    private static string Fingerprint(byte[] raw) => "raw:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));

    [GeneratedRegex(@"\[ref:([a-z2-7]{10})\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SubjectToken();

    /// <summary>A conversation token: 10 characters of base32 (50 random bits).</summary>
    [GeneratedRegex(@"^[a-z2-7]{10}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    public static partial Regex TokenShape();

    private static readonly HeaderId[] StableHeaders = [HeaderId.Date, HeaderId.From, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.ContentType];

    private static readonly string[] EnvelopeRecipientHeaders = ["Delivered-To", "X-Original-To", "Envelope-To"];

    private sealed class Reading(MimeMessage message, byte[] raw, EmailLimits limits, bool lenient)
    {
        private readonly List<string> _problems = [];
        private readonly List<ReadAttachment> _attachments = [];
        private readonly List<string> _reportedIds = [];
        private int _parts;
        private bool _tooDeep;
        private bool _report;
        private string? _text;
        private string? _html;

        public ReadEmail Read()
        {
            Walk(message.Body, 1);
            if (_tooDeep)
            {
                _problems.Add($"Its parts are nested deeper than {limits.MaxNestingDepth} levels.");
            }

            if (_parts > limits.MaxParts)
            {
                _problems.Add($"It has {_parts} parts, over the limit of {limits.MaxParts}.");
            }

            var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
            var fromAddress = from?.Address is { Length: > 0 } address && address.Contains('@', StringComparison.Ordinal) ? address.Trim().ToLowerInvariant() : null;
            if (fromAddress is null)
            {
                _problems.Add("It has no readable sender address.");
            }

            var subject = Clean(message.Subject ?? "");
            var text = _text ?? (_html is null ? null : HtmlText(_html));
            if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(text) && _attachments.Count == 0)
            {
                _problems.Add("It is empty: no subject, no text and no attachments.");
            }

            var references = message.References.Where(id => id.Length > 0).TakeLast(20).ToList();
            var threadIds = new List<string>();
            if (message.InReplyTo is { Length: > 0 } inReplyTo)
            {
                threadIds.Add(inReplyTo);
            }

            threadIds.AddRange(references);
            threadIds.AddRange(_reportedIds);
            return new ReadEmail
            {
                MessageId = message.MessageId is { Length: > 0 and <= 900 } id ? id : null,
                HeaderFingerprint = HeaderFingerprint(),
                FromAddress = fromAddress,
                FromDisplay = from is null ? "" : Clean(from.ToString(false)),
                Subject = subject,
                Text = text,
                Html = _html,
                Attachments = _attachments,
                ThreadIds = threadIds.Distinct(StringComparer.Ordinal).ToList(),
                References = references,
                ThreadIndex = message.Headers["Thread-Index"] is { Length: > 0 and <= 200 } index ? index.Trim() : null,
                Tokens = Tokens(subject),
                Automatic = Automatic(fromAddress),
                QuarantineReason = lenient || _problems.Count == 0 ? null : string.Join(" ", _problems),
            };
        }

        private void Walk(MimeEntity? entity, int depth)
        {
            if (entity is null)
            {
                return;
            }

            _parts++;
            if (depth > limits.MaxNestingDepth || _parts > limits.MaxParts)
            {
                _tooDeep |= depth > limits.MaxNestingDepth;
                return;
            }

            switch (entity)
            {
                case MultipartReport report when report.ReportType is { } type
                    && (type.Equals("delivery-status", StringComparison.OrdinalIgnoreCase) || type.Equals("disposition-notification", StringComparison.OrdinalIgnoreCase)):
                    _report = true;
                    WalkChildren(report, depth);
                    break;
                case Multipart multipart:
                    CheckBoundary(multipart);
                    WalkChildren(multipart, depth);
                    break;
                case MessagePart { Message: { } inner } part:
                    if (_report)
                    {
                        if (inner.MessageId is { Length: > 0 } reported)
                        {
                            _reportedIds.Add(reported);
                        }
                    }

                    AddAttachment(FileNameOf(part, "message.eml"), "message/rfc822", Serialize(inner));
                    break;
                case MessageDeliveryStatus or MessageDispositionNotification:
                    _report = true;
                    break;
                case TextPart text when !text.IsAttachment && text.IsPlain && _text is null:
                    _text = Decode(text, "text");
                    break;
                case TextPart html when !html.IsAttachment && html.IsHtml && _html is null:
                    _html = CheckHtml(Decode(html, "HTML"));
                    break;
                case MimePart part:
                    AddAttachment(FileNameOf(part, "attachment"), null, DecodeContent(part));
                    break;
                default:
                    break;
            }
        }

        private void WalkChildren(Multipart multipart, int depth)
        {
            foreach (var child in multipart)
            {
                Walk(child, depth + 1);
            }
        }

        private void CheckBoundary(Multipart multipart)
        {
            var boundary = multipart.ContentType.Boundary;
            if (string.IsNullOrEmpty(boundary))
            {
                _problems.Add("A multipart has no boundary.");
                return;
            }

            var end = Encoding.ASCII.GetBytes("--" + boundary + "--");
            if (raw.AsSpan().IndexOf(end) < 0)
            {
                _problems.Add("A multipart is not closed (its end boundary is missing).");
            }
        }

        /// <summary>A body's text in its declared charset; a charset that is unknown, or bytes not valid in it, are a problem (lenient: decoded with replacement characters).</summary>
        private string? Decode(TextPart part, string what)
        {
            var bytes = DecodeContent(part);
            if (bytes.Length > limits.MaxBodyBytes)
            {
                _problems.Add($"Its {what} body is {bytes.Length} bytes, over the limit of {limits.MaxBodyBytes}.");
                if (!lenient)
                {
                    return null;
                }

                bytes = bytes[..limits.MaxBodyBytes];
            }

            var charset = part.ContentType.Charset;
            Encoding encoding;
            try
            {
                encoding = charset is null
                    ? new UTF8Encoding(false, throwOnInvalidBytes: true)
                    : Encoding.GetEncoding(charset.Trim(), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            }
            catch (ArgumentException)
            {
                _problems.Add($"Its {what} body declares a charset that is not known.");
                return lenient ? Encoding.Latin1.GetString(bytes) : null;
            }

            try
            {
                return Clean(encoding.GetString(bytes));
            }
            catch (DecoderFallbackException)
            {
                if (charset is null)
                {
                    // 8-bit text without a charset is common and harmless: read as Windows-1252.
                    return Clean(Encoding.GetEncoding(1252).GetString(bytes));
                }

                _problems.Add($"Its {what} body is not valid in the charset it declares.");
                return lenient ? Clean(Encoding.GetEncoding(encoding.CodePage).GetString(bytes)) : null;
            }
        }

        private string? CheckHtml(string? html)
        {
            if (html is null)
            {
                return null;
            }

            var tags = 0;
            for (var i = 0; i < html.Length - 1; i++)
            {
                if (html[i] == '<' && (char.IsAsciiLetter(html[i + 1]) || html[i + 1] == '/'))
                {
                    tags++;
                }
            }

            if (tags > limits.MaxHtmlTags)
            {
                _problems.Add($"Its HTML body has {tags} tags, over the limit of {limits.MaxHtmlTags}.");
                return null;
            }

            return html;
        }

        private static byte[] DecodeContent(MimePart part)
        {
            if (part.Content is null)
            {
                return [];
            }

            using var output = new MemoryStream();
            part.Content.DecodeTo(output);
            return output.ToArray();
        }

        private static byte[] Serialize(MimeMessage inner)
        {
            using var output = new MemoryStream();
            inner.WriteTo(output);
            return output.ToArray();
        }

        private void AddAttachment(string fileName, string? contentType, byte[] content) =>
            _attachments.Add(new ReadAttachment(fileName, contentType ?? ContentSniffer.Sniff(content), content));

        private static string FileNameOf(MimeEntity part, string fallback)
        {
            var name = part is MimePart mime ? mime.FileName : part.ContentDisposition?.FileName;
            name = Clean(Path.GetFileName(name ?? "")).Trim();
            return name.Length == 0 ? fallback : name[..Math.Min(name.Length, 200)];
        }

        private string HeaderFingerprint()
        {
            var builder = new StringBuilder("hdr:");
            foreach (var header in StableHeaders)
            {
                builder.Append(message.Headers[header]?.Trim()).Append('\n');
            }

            return builder.ToString();
        }

        private List<string> Tokens(string subject)
        {
            var tokens = new List<string>();
            foreach (Match match in SubjectToken().Matches(subject))
            {
                tokens.Add(match.Groups[1].Value.ToLowerInvariant());
            }

            var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes)
                .Select(m => m.Address)
                .Concat(EnvelopeRecipientHeaders.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)).Select(x => x.Value)));
            foreach (var address in recipients)
            {
                var local = (address ?? "").Trim().Trim('<', '>').Split('@')[0];
                var plus = local.IndexOf('+', StringComparison.Ordinal);
                if (plus >= 0 && local[(plus + 1)..].ToLowerInvariant() is var tag && TokenShape().IsMatch(tag))
                {
                    tokens.Add(tag);
                }
            }

            return tokens.Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>RFC 3834's signs of a message no human wrote for us to answer.</summary>
        private AutomaticReason? Automatic(string? fromAddress)
        {
            var headers = message.Headers;
            if (headers["Auto-Submitted"] is { } autoSubmitted && !autoSubmitted.Split(';')[0].Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                return AutomaticReason.AutoSubmitted;
            }

            if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond"))
            {
                return AutomaticReason.AutoReplyHeader;
            }

            if (headers["Precedence"]?.Trim().ToLowerInvariant() is "bulk" or "list" or "junk" || headers.Contains("List-Id"))
            {
                return AutomaticReason.BulkOrList;
            }

            if (_report)
            {
                return AutomaticReason.DeliveryReport;
            }

            var local = fromAddress?.Split('@')[0];
            if (headers["Return-Path"]?.Trim() == "<>" || local is "mailer-daemon" or "postmaster")
            {
                return AutomaticReason.Bounce;
            }

            return null;
        }
    }

    /// <summary>Text without NUL and other C0 controls but tab and line breaks (PostgreSQL text holds no NUL; controls only hide things).</summary>
    private static string Clean(string value)
    {
        if (!value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            return value;
        }

        return new string(value.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r').ToArray());
    }

    /// <summary>The readable text of an HTML body, for the plain view and quoting: text outside script and style, a line break per block.</summary>
    internal static string HtmlText(string html)
    {
        var text = new StringBuilder();
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        var skipping = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title:
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(skipping, 0);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR or HtmlTagId.LI or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.BlockQuote:
                    text.Append('\n');
                    break;
                case HtmlDataToken data when skipping == 0:
                    text.Append(data.Data);
                    break;
                default:
                    break;
            }
        }

        return Clean(MultipleBlankLines().Replace(text.ToString(), "\n\n").Trim());
    }

    [GeneratedRegex(@"\n\s*\n\s*\n+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MultipleBlankLines();
}
