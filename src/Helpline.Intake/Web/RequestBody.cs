using System.Net.Http.Headers;

namespace Helpline.Intake.Web;

/// <summary>Reads a request body within a size limit, for every door that parses its own body (JSON, Twilio's forms).</summary>
internal static class RequestBody
{
    /// <summary>
    /// The whole body, or null when it is larger than <paramref name="maxBytes"/> (declared in
    /// Content-Length or sent chunked). Nothing past the limit is read.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > maxBytes ? null : buffer[..length];
    }

    /// <summary>Whether the Content-Type is <paramref name="mediaType"/>, in UTF-8 if a charset is given.</summary>
    public static bool IsUtf8(HttpRequest request, string mediaType) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && string.Equals(type.MediaType, mediaType, StringComparison.OrdinalIgnoreCase)
        && (type.CharSet is not { } charset || string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase));
}
