using System.Net;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// Pictures played in turn, looping: how a tracked clip is shown on a page. Embedded as an animated GIF (every
/// browser plays it, offline, with no video codec; an mp4 from OpenCV's 'mp4v' would not play in a browser),
/// scaled to at most <see cref="MaxWidth"/> pixels wide to keep the page small.
/// </summary>
public sealed record Animation(IReadOnlyList<Picture> Frames, double FramesPerSecond = 12, string? Caption = null)
{
    /// <summary>The widest the GIF is encoded (pixels); wider frames are scaled down.</summary>
    public int MaxWidth { get; init; } = 240;

    /// <summary>The animated GIF's bytes.</summary>
    public byte[] ToGif()
    {
        if (Frames.Count == 0) throw new ArgumentException("an animation needs at least one frame");
        var (w0, h0) = (Frames[0].Width, Frames[0].Height);
        int w = Math.Min(w0, MaxWidth), h = Math.Max(1, (int)Math.Round(h0 * (double)w / w0));
        int delay = Math.Max(2, (int)Math.Round(100 / Math.Max(0.1, FramesPerSecond))); // GIF delays are in 1/100 s
        using var gif = new Image<Rgb24>(w, h);
        gif.Metadata.GetGifMetadata().RepeatCount = 0; // loop forever
        foreach (var p in Frames)
        {
            if (p.Width != w0 || p.Height != h0) throw new ArgumentException($"animation frames differ in size ({p.Width}x{p.Height}, first {w0}x{h0})");
            using var img = Image.LoadPixelData<Rgb24>(p.Rgb, p.Width, p.Height);
            if (w != w0) img.Mutate(x => x.Resize(w, h));
            img.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = delay;
            gif.Frames.AddFrame(img.Frames.RootFrame);
        }
        gif.Frames.RemoveFrame(0); // the blank frame the image was created with
        using var ms = new MemoryStream();
        gif.SaveAsGif(ms);
        return ms.ToArray();
    }

    public string ToHtml()
    {
        var caption = Caption is null ? "" : $"<figcaption>{WebUtility.HtmlEncode(Caption)}</figcaption>";
        return "<figure class=\"colortrack-picture\" style=\"display:inline-block;margin:4px;text-align:center\">" +
               $"<img class=\"colortrack-img\" alt=\"{WebUtility.HtmlEncode(Caption ?? "animation")}\" style=\"max-width:100%\" " +
               $"src=\"data:image/gif;base64,{Convert.ToBase64String(ToGif())}\"/>{caption}</figure>";
    }
}
