using AngleSharp.Dom;
using Ganss.Xss;

namespace Helpline.Console.Email;

/// <summary>
/// A sender's HTML made safe to look at: HtmlSanitizer removes scripts, event handlers, forms, frames,
/// <c>javascript:</c> and every other dangerous construct; then every reference that would make the
/// browser fetch something (images, backgrounds, fonts, any <c>url(…)</c> in a style) is removed, so a
/// tracking pixel never fires; only inline <c>data:image/…</c> pictures stay. Links are kept as text with
/// their address in a tooltip, not followable. The page that shows it (<see cref="Document"/>) is served
/// with its own Content-Security-Policy (nothing may load, nothing may run) into a sandboxed frame.
/// </summary>
internal sealed class SafeHtml
{
    /// <summary>The frame's own policy: no script, no fetch of any kind; inline styles and data: images only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; connect-src 'none'; " +
        "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox";

    private static readonly string[] FetchingAttributes = ["src", "srcset", "background", "poster", "lowsrc", "dynsrc", "longdesc", "cite", "action", "formaction", "data", "xlink:href"];

    private readonly HtmlSanitizer _sanitizer;

    public SafeHtml()
    {
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Clear();
        _sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto", "data"]);
        _sanitizer.AllowedTags.Remove("form");
        _sanitizer.AllowedTags.Remove("input");
        _sanitizer.AllowedTags.Remove("button");
        _sanitizer.AllowedTags.Remove("textarea");
        _sanitizer.AllowedTags.Remove("select");
        _sanitizer.AllowedAtRules.Clear();
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement element)
            {
                Neutralise(element);
            }
        };
    }

    /// <summary>The sanitised body, as a fragment.</summary>
    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    /// <summary>A whole page for the sandboxed frame.</summary>
    public string Document(string html) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"></head><body>{Sanitize(html)}</body></html>";

    private static void Neutralise(IElement element)
    {
        if (element.GetAttribute("href") is { } href)
        {
            element.RemoveAttribute("href");
            element.SetAttribute("title", href);
        }

        foreach (var name in FetchingAttributes)
        {
            if (element.GetAttribute(name) is { } value
                && !(name == "src" && element.LocalName == "img" && value.TrimStart().StartsWith("data:image/", StringComparison.OrdinalIgnoreCase)))
            {
                element.RemoveAttribute(name);
            }
        }

        if (element.GetAttribute("style") is { } style
            && (style.Contains("url(", StringComparison.OrdinalIgnoreCase) || style.Contains("image-set(", StringComparison.OrdinalIgnoreCase) || style.Contains("@import", StringComparison.OrdinalIgnoreCase)))
        {
            element.RemoveAttribute("style");
        }
    }
}
