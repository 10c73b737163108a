using ColorTrack.Imaging;
using ColorTrack.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Tests.Imaging;

public class MaskPngTests
{
    static byte[] Gray8(int w, int h, Func<int, int, byte> f) =>
        PngTestEncoder.Encode(w, h, 0, 8, Enumerable.Range(0, h).Select(y => Enumerable.Range(0, w).Select(x => f(x, y)).ToArray()).ToArray(), _ => 4);

    [Fact]
    public void DavisPalette_FollowsTheBitInterleavingRule()
    {
        Assert.Equal(768, DavisPalette.Rgb.Length);
        Assert.Equal((0, 0, 0), ToInts(DavisPalette.Color(0)));
        Assert.Equal((128, 0, 0), ToInts(DavisPalette.Color(1)));
        Assert.Equal((0, 128, 0), ToInts(DavisPalette.Color(2)));
        Assert.Equal((128, 128, 0), ToInts(DavisPalette.Color(3)));
        Assert.Equal((0, 0, 128), ToInts(DavisPalette.Color(4)));
        Assert.Equal((64, 0, 0), ToInts(DavisPalette.Color(8)));
        Assert.Equal((224, 224, 192), ToInts(DavisPalette.Color(255)));
        Assert.Equal(256, Enumerable.Range(0, 256).Select(i => DavisPalette.Color(i)).Distinct().Count());
        Assert.Equal(5, DavisPalette.IndexOf(128, 0, 128));
        Assert.Equal(-1, DavisPalette.IndexOf(255, 255, 255));
    }

    static (int, int, int) ToInts((byte R, byte G, byte B) c) => (c.R, c.G, c.B);

    [SharedDataFact]
    public void DavisPalette_EqualsThePaletteOfRealDavis2017Masks()
    {
        var png = File.ReadAllBytes(SharedData.Path("fixtures", "davis-multi-object", "ground-truth", "gold-fish", "00000.png"));
        var plte = ImageSharpReference.Plte(png);
        Assert.Equal(DavisPalette.Rgb[..plte.Length].ToArray(), plte);
    }

    [Fact]
    public void WriteThenRead_RoundTripsIds_AsAnIndexedPngWithTheDavisPalette()
    {
        using var dir = new TempDir();
        var ids = new byte[31 * 17];
        new Random(1).NextBytes(ids);
        var mask = new IndexedMask(31, 17, ids);
        var path = dir["sub/mask.png"];

        MaskPng.Write(path, mask);

        var back = MaskPng.Read(path);
        Assert.Equal((31, 17), (back.Width, back.Height));
        Assert.Equal(ids, back.Ids);
        Assert.Equal(3, ImageSharpReference.ColorType(File.ReadAllBytes(path)));
        using var im = Image.Load<Rgb24>(path); // an independent decoder sees the DAVIS colours
        var (r, g, b) = DavisPalette.Color(ids[5 * 31 + 7]);
        Assert.Equal(new Rgb24(r, g, b), im[7, 5]);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void Write_ReplacesAnExistingFile()
    {
        using var dir = new TempDir();
        MaskPng.Write(dir["m.png"], new IndexedMask(2, 1, [1, 1]));
        MaskPng.Write(dir["m.png"], new IndexedMask(3, 1, [0, 2, 0]));
        Assert.Equal(new byte[] { 0, 2, 0 }, MaskPng.Read(dir["m.png"]).Ids);
    }

    [Fact]
    public void Read_BinaryGray0And255_GivesIds0And1()
    {
        var m = MaskPng.Decode(Gray8(6, 4, (x, y) => x >= 3 ? (byte)255 : (byte)0));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i % 6 >= 3 ? (byte)1 : (byte)0), m.Ids);
    }

    [Fact]
    public void Read_NoisyGrayMask_IsThresholdedAt128()
    {
        var m = MaskPng.Decode(Gray8(4, 1, (x, _) => new byte[] { 3, 127, 128, 254 }[x]));
        Assert.Equal(new byte[] { 0, 0, 1, 1 }, m.Ids);
    }

    [Fact]
    public void Read_BinaryMasksAtOtherGrayDepths_GiveIds0And1()
    {
        var sixteen = PngTestEncoder.Encode(3, 1, 0, 16, [[0, 0, 255, 255, 0, 0]], _ => 0);
        Assert.Equal(new byte[] { 0, 1, 0 }, MaskPng.Decode(sixteen).Ids);
        var oneBit = PngTestEncoder.Encode(10, 1, 0, 1, [[0b0110_0000, 0b1100_0000]], _ => 0);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 0, 0, 0, 0, 1, 1 }, MaskPng.Decode(oneBit).Ids);
        var grayAlpha = PngTestEncoder.Encode(2, 1, 4, 8, [[255, 255, 0, 255]], _ => 0);
        Assert.Equal(new byte[] { 1, 0 }, MaskPng.Decode(grayAlpha).Ids);
    }

    [Fact]
    public void Read_GrayLabelMapWithSmallValues_KeepsIdsAsStored()
    {
        var m = MaskPng.Decode(Gray8(4, 1, (x, _) => (byte)x));
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, m.Ids);
    }

    [Fact]
    public void Read_RgbInDavisColours_GivesPaletteIndices_AndRejectsOtherColours()
    {
        byte[] Rgb(params (byte, byte, byte)[] px) => px.SelectMany(p => new[] { p.Item1, p.Item2, p.Item3 }).ToArray();
        var ok = PngTestEncoder.Encode(3, 1, 2, 8, [Rgb(DavisPalette.Color(0), DavisPalette.Color(2), DavisPalette.Color(5))], _ => 1);
        Assert.Equal(new byte[] { 0, 2, 5 }, MaskPng.Decode(ok).Ids);

        var bad = PngTestEncoder.Encode(2, 1, 2, 8, [Rgb((0, 0, 0), (10, 200, 30))], _ => 0);
        var e = Assert.Throws<BadInputException>(() => MaskPng.Decode(bad, "pred/0001.png"));
        Assert.Contains("(10,200,30)", e.Message);
        Assert.StartsWith("pred/0001.png: ", e.Message);
    }

    [Fact]
    public void Read_MissingFile_IsBadInputNamingIt()
    {
        var e = Assert.Throws<BadInputException>(() => MaskPng.Read("/nonexistent/seq/00000.png"));
        Assert.Equal("/nonexistent/seq/00000.png", e.Path);
    }

    [SharedDataFact]
    public void Read_DavisGrayAlphaFrame_GivesTheBinaryMask()
    {
        var path = SharedData.Path("data", "davis2016-train", "Annotations", "480p", "bear", "00077.png");
        Assert.Equal(4, ImageSharpReference.ColorType(File.ReadAllBytes(path)));
        var m = MaskPng.Read(path);
        using var im = Image.Load<La16>(path);
        var px = new La16[m.Ids.Length];
        im.CopyPixelDataTo(px);
        Assert.Equal(px.Select(p => p.L >= 128 ? (byte)1 : (byte)0), m.Ids);
        Assert.InRange(m.Ids.Count(v => v == 1), 10_000, 200_000); // the bear is there
    }

    [SharedDataFact]
    public void Read_Davis2017PaletteMasks_GiveObjectIds()
    {
        var m = MaskPng.Read(SharedData.Path("fixtures", "davis-multi-object", "ground-truth", "gold-fish", "00000.png"));
        Assert.Equal(5, m.MaxId());
        Assert.Equal((854, 480), (m.Width, m.Height));
    }
}
