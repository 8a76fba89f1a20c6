using System.Text;

namespace Helpline.Intake.Email;

/// <summary>
/// The type of an attachment from its first bytes, not from what the sender declared (a sender can
/// call an executable <c>invoice.pdf</c>). Only types worth telling an advisor apart; anything else is
/// <c>application/octet-stream</c>.
/// </summary>
internal static class ContentSniffer
{
    public const string Unknown = "application/octet-stream";

    private static readonly (byte[] Magic, int Offset, string Type)[] Signatures =
    [
        ("%PDF-"u8.ToArray(), 0, "application/pdf"),
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], 0, "image/png"),
        ([0xFF, 0xD8, 0xFF], 0, "image/jpeg"),
        ("GIF87a"u8.ToArray(), 0, "image/gif"),
        ("GIF89a"u8.ToArray(), 0, "image/gif"),
        ("RIFF"u8.ToArray(), 0, "application/x-riff"),
        ("BM"u8.ToArray(), 0, "image/bmp"),
        ([0x49, 0x49, 0x2A, 0x00], 0, "image/tiff"),
        ([0x4D, 0x4D, 0x00, 0x2A], 0, "image/tiff"),
        ("ftyp"u8.ToArray(), 4, "video/mp4"),
        ("ID3"u8.ToArray(), 0, "audio/mpeg"),
        ("OggS"u8.ToArray(), 0, "audio/ogg"),
        ([0x50, 0x4B, 0x03, 0x04], 0, "application/zip"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], 0, "application/x-ole-storage"),
        ("{\\rtf"u8.ToArray(), 0, "application/rtf"),
        ("MZ"u8.ToArray(), 0, "application/x-msdownload"),
        ([0x7F, (byte)'E', (byte)'L', (byte)'F'], 0, "application/x-executable"),
        ([0x1F, 0x8B], 0, "application/gzip"),
        ("Rar!"u8.ToArray(), 0, "application/vnd.rar"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], 0, "application/x-7z-compressed"),
    ];

    public static string Sniff(ReadOnlySpan<byte> content)
    {
        foreach (var (magic, offset, type) in Signatures)
        {
            if (content.Length >= offset + magic.Length && content.Slice(offset, magic.Length).SequenceEqual(magic))
            {
                return type == "application/x-riff" ? Riff(content) : type;
            }
        }

        return LooksLikeText(content) ? TextType(content) : Unknown;
    }

    private static string Riff(ReadOnlySpan<byte> content) =>
        content.Length >= 12 && content.Slice(8, 4).SequenceEqual("WEBP"u8) ? "image/webp"
        : content.Length >= 12 && content.Slice(8, 4).SequenceEqual("WAVE"u8) ? "audio/wav"
        : Unknown;

    /// <summary>Text (UTF-8 without NULs) in the first 4 KB; HTML and SVG are named, since a browser would run them.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> content)
    {
        var head = content[..Math.Min(content.Length, 4096)];
        if (head.IsEmpty || head.Contains((byte)0))
        {
            return false;
        }

        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(head[..Utf8Boundary(head)]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Cuts a possibly split multi-byte character off the end of a slice.</summary>
    private static int Utf8Boundary(ReadOnlySpan<byte> head)
    {
        var end = head.Length;
        for (var i = 1; i <= 3 && i <= head.Length; i++)
        {
            var b = head[^i];
            if ((b & 0xC0) == 0xC0)
            {
                return head.Length - i;
            }

            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return end;
    }

    private static string TextType(ReadOnlySpan<byte> content)
    {
        var head = Encoding.UTF8.GetString(content[..Math.Min(content.Length, 1024)]).TrimStart().ToLowerInvariant();
        if (head.StartsWith("<svg", StringComparison.Ordinal) || (head.StartsWith("<?xml", StringComparison.Ordinal) && head.Contains("<svg", StringComparison.Ordinal)))
        {
            return "image/svg+xml";
        }

        if (head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.StartsWith("<html", StringComparison.Ordinal) || head.Contains("<script", StringComparison.Ordinal) || head.Contains("<body", StringComparison.Ordinal))
        {
            return "text/html";
        }

        return "text/plain";
    }
}
