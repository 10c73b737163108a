using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ColorTrack.Notebooks.Formatting;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;
using SixLabors.ImageSharp;

namespace ColorTrack.Tests.Notebooks;

/// <summary>
/// What goes into a shared page, checked without executing a notebook: the committed notebooks'
/// format (nbformat 4.5 cell ids) and summaries, how pictures are embedded, and headlines' markup.
/// </summary>
public partial class NotebookFormatTests
{
    static IEnumerable<string> CommittedNotebooks() =>
        Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order();

    [Fact]
    public void Notebooks_EveryCellHasAUniqueId()
    {
        foreach (var f in CommittedNotebooks())
        {
            var nb = JsonNode.Parse(File.ReadAllText(f))!;
            var name = Path.GetFileName(f);
            Assert.True((int)nb["nbformat"]! == 4 && (int)nb["nbformat_minor"]! >= 5, $"{name}: cell ids need nbformat 4.5 or later");
            var ids = nb["cells"]!.AsArray().Select((c, i) => (string?)c!["id"] ?? throw new Xunit.Sdk.XunitException($"{name}: cell {i} has no id")).ToList();
            Assert.All(ids, id => Assert.Matches(CellId(), id));
            Assert.True(ids.Distinct().Count() == ids.Count, $"{name}: duplicate cell ids {string.Join(", ", ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key))}");
        }
    }

    [Fact]
    public void Notebooks_EachHasAOneSentenceSummaryForTheContentsPage()
    {
        foreach (var f in CommittedNotebooks())
        {
            var summary = NotebookIndex.Summary(JsonNode.Parse(File.ReadAllText(f)));
            Assert.False(string.IsNullOrWhiteSpace(summary), $"{Path.GetFileName(f)}: no '**What this shows:**' sentence");
            Assert.DoesNotContain("**", summary);
            Assert.DoesNotContain("`", summary);
            Assert.DoesNotContain("\n", summary);
            Assert.True(char.IsUpper(summary[0]), summary);
        }
    }

    [Fact]
    public void Summary_IsTheFirstSentenceOfWhatThisShows_MarkdownStripped()
    {
        static JsonNode Nb(string md) => new JsonObject { ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "markdown", ["source"] = md }) };
        Assert.Equal("The ab plane, e.g. of Lab, is clustered into 16 bins.",
            NotebookIndex.Summary(Nb("# T\n\n**What this shows** (paper, section 3.4): the *ab* plane, e.g. of Lab,\nis clustered into 16 bins. Then more.")));
        Assert.Equal("Three looks inside the embedding.", NotebookIndex.Summary(Nb("# T\n\n**What this shows:** three looks inside the `embedding`.\n1. **PCA**")));
        Assert.Equal("", NotebookIndex.Summary(Nb("# T\n\nNo marker here.")));
    }

    static Picture Photo(int width, int height, int? displayWidth)
    {
        // A smooth gradient with sensor-like noise: many colours, like a video frame.
        var rgb = new byte[width * height * 3];
        var rnd = new Random(7);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = 3 * (y * width + x), n = rnd.Next(24);
                rgb[i] = (byte)(x * 200 / width + n); rgb[i + 1] = (byte)(y * 200 / height + n); rgb[i + 2] = (byte)(120 + n);
            }
        return new Picture(width, height, rgb, "photo") { DisplayWidth = displayWidth };
    }

    static (string Mime, byte[] Bytes) Embedded(Picture p)
    {
        var m = DataUri().Match(p.ToHtml());
        Assert.True(m.Success, "the picture is embedded as a data: URI");
        return (m.Groups[1].Value, Convert.FromBase64String(m.Groups[2].Value));
    }

    [Fact]
    public void Picture_BigPhoto_IsAJpegDownsampledToItsDisplayWidth_SmallerThanThePng()
    {
        var photo = Photo(1280, 720, displayWidth: 320);
        var (mime, bytes) = Embedded(photo);
        Assert.Equal("image/jpeg", mime);
        using var img = Image.Load(bytes);
        Assert.Equal((320, 180), (img.Width, img.Height)); // aspect ratio kept
        var png = Convert.FromBase64String(photo.ToPngBase64());
        Assert.True(bytes.Length * 5 < png.Length, $"JPEG {bytes.Length} B vs full-size PNG {png.Length} B");
    }

    [Fact]
    public void Picture_WithoutDisplayWidth_IsCappedAt900Pixels()
    {
        var (mime, bytes) = Embedded(Photo(1800, 600, displayWidth: null));
        Assert.Equal("image/jpeg", mime);
        using var img = Image.Load(bytes);
        Assert.Equal((PictureEncoding.DefaultMaxWidth, 300), (img.Width, img.Height));
    }

    [Fact]
    public void Picture_TinyOrFewColoursOrEnlarged_StaysACrispPng()
    {
        Assert.Equal("image/png", Embedded(Photo(48, 32, displayWidth: 480)).Mime);   // tiny
        Assert.Equal("image/png", Embedded(Photo(160, 90, displayWidth: 480)).Mime);  // a feature map shown 3x
        Assert.Equal("image/jpeg", Embedded(Photo(160, 160, displayWidth: 200)).Mime); // a small frame shown a little larger is a photo
        var mask = new byte[854 * 480 * 3];
        for (int i = 0; i < mask.Length; i += 3) mask[i] = (byte)((i / 3 % 854) < 400 ? 128 : 0); // two palette colours
        var (mime, bytes) = Embedded(new Picture(854, 480, mask) { DisplayWidth = 427 });
        Assert.Equal("image/png", mime);
        using var img = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(bytes);
        Assert.Equal(427, img.Width);
        var colours = new HashSet<SixLabors.ImageSharp.PixelFormats.Rgb24>();
        img.ProcessPixelRows(a => { for (int y = 0; y < a.Height; y++) foreach (var p in a.GetRowSpan(y)) colours.Add(p); });
        Assert.Equal(2, colours.Count); // resampled by nearest neighbour: no blended edge colours
    }

    [Fact]
    public void Headline_RoundTripsThroughItsHtml_InAnyCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // decimal comma must not leak in
            var h = new Headline("J&F \"val\"", 0.1 + 0.2, "J&F <validation> = 0.30");
            var html = $"<p>before</p>{h.ToHtml()}<p>after</p>{new Headline("second", -1e-7, "x").ToHtml()}";
            Assert.Contains("data-value=\"0.30000000000000004\"", html);
            var back = Headline.ReadAll(html);
            Assert.Equal([h, new Headline("second", -1e-7, "x")], back);
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CellId();

    [GeneratedRegex("src=\"data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex DataUri();
}
