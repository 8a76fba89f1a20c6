using System.Globalization;
using System.Text;
using MimeKit;

namespace Helpline.Testing;

/// <summary>Messages for the email tests: ordinary ones, automatic ones, and hostile or broken ones.</summary>
public static class EmailCorpus
{
    public const string Helpline = "help@helpline.test";

    /// <summary>An ordinary message from <paramref name="from"/>, plain text (and HTML when given).</summary>
    public static MimeMessage Message(string from, string subject, string text, string? html = null, string? messageId = null, string? inReplyTo = null)
    {
        var message = new MimeMessage { Subject = subject, MessageId = messageId ?? $"{Guid.NewGuid():N}@sender.test", Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(Helpline));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }

        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A realistic message of about <paramref name="bytes"/> bytes (text, HTML alternative, quoted history).</summary>
    public static byte[] Realistic(int index, int bytes = 6000)
    {
        var text = new StringBuilder($"Hello, I am writing because someone keeps contacting me (message {index}).\n\n");
        while (text.Length < bytes / 2)
        {
            text.Append("He waits outside my work most days and sends messages from new numbers when I block him. ");
        }

        var message = Message($"writer{index % 500}@example.test", $"Need advice {index}", text.ToString(), $"<html><body><p>{System.Net.WebUtility.HtmlEncode(text.ToString())}</p></body></html>");
        return TestMailbox.Bytes(message);
    }

    public static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    /// <summary>An out-of-office reply (RFC 3834 <c>Auto-Submitted: auto-replied</c>).</summary>
    public static MimeMessage AutoReply(string from, string? inReplyTo = null)
    {
        var message = Message(from, "Out of office", "I am away until Monday.", inReplyTo: inReplyTo);
        message.Headers.Add("Auto-Submitted", "auto-replied");
        return message;
    }

    /// <summary>A delivery-status report (a bounce) about <paramref name="originalMessageId"/>.</summary>
    public static byte[] Bounce(string originalMessageId) => Raw($"""
        From: Mail Delivery System <MAILER-DAEMON@mx.example.test>
        To: {Helpline}
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <{Guid.NewGuid():N}@mx.example.test>
        Date: {DateTimeOffset.UtcNow:R}
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        This is the mail system. Your message could not be delivered.
        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.test

        Final-Recipient: rfc822; gone@example.test
        Action: failed
        Status: 5.1.1
        --b1
        Content-Type: text/rfc822-headers

        From: {Helpline}
        To: gone@example.test
        Subject: Re: help
        Message-ID: <{originalMessageId}>
        --b1--
        """);

    /// <summary>
    /// Hostile or broken messages, each with a name and a word its quarantine reason contains; all but the
    /// oversized one fit in <paramref name="maxMessageBytes"/> (the HTML bomb holds a sixth of it in tags).
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Raw, string Reason)> Broken(string from, int maxMessageBytes)
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 12; i++)
        {
            deep.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"d{i}\"\r\n\r\n--d{i}\r\n");
        }

        deep.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (var i = 11; i >= 0; i--)
        {
            deep.Append(CultureInfo.InvariantCulture, $"--d{i}--\r\n");
        }

        var bomb = new StringBuilder("<html><body>");
        for (var i = 0; i < Math.Min(30_000, maxMessageBytes / 6); i++)
        {
            bomb.Append("<div>");
        }

        return
        [
            ("unclosed multipart", Raw($"""
                From: {from}
                To: {Helpline}
                Subject: broken structure
                Message-ID: <{Guid.NewGuid():N}@sender.test>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="never-closed"

                --never-closed
                Content-Type: text/plain

                this multipart never ends
                """), "not closed"),
            ("oversized", Raw($"""
                From: {from}
                To: {Helpline}
                Subject: very long
                Message-ID: <{Guid.NewGuid():N}@sender.test>
                Content-Type: text/plain

                {new string('x', maxMessageBytes + 1000)}
                """), "over the limit"),
            ("nested too deep", Raw($"From: {from}\r\nTo: {Helpline}\r\nSubject: nested\r\nMessage-ID: <{Guid.NewGuid():N}@sender.test>\r\nMIME-Version: 1.0\r\n{deep}"), "nested deeper"),
            ("bad charset", Raw($"""
                From: {from}
                To: {Helpline}
                Subject: charset
                Message-ID: <{Guid.NewGuid():N}@sender.test>
                MIME-Version: 1.0
                Content-Type: text/plain; charset="x-no-such-charset"

                text
                """), "charset"),
            ("empty", Raw($"""
                From: {from}
                To: {Helpline}
                Message-ID: <{Guid.NewGuid():N}@sender.test>

                """), "empty"),
            ("HTML bomb", Raw($"From: {from}\r\nTo: {Helpline}\r\nSubject: bomb\r\nMessage-ID: <{Guid.NewGuid():N}@sender.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n{bomb}\r\n"), "tags"),
            ("no sender", Raw($"""
                To: {Helpline}
                Subject: who am I
                Message-ID: <{Guid.NewGuid():N}@sender.test>

                no From header
                """), "sender"),
        ];
    }
}
