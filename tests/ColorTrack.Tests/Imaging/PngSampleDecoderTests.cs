using ColorTrack.Imaging;
using ColorTrack.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Tests.Imaging;

public class PngDecoderTests
{
    public static TheoryData<int, int, int> ColourTypesDepthsFilters()
    {
        var d = new TheoryData<int, int, int>();
        (int Type, int[] Depths)[] combos = [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])];
        foreach (var (type, depths) in combos)
            foreach (var depth in depths)
                for (int filter = 0; filter <= 5; filter++) // 5 = a different filter on every row
                    d.Add(type, depth, filter);
        return d;
    }

    [Theory]
    [MemberData(nameof(ColourTypesDepthsFilters))]
    public void Decoder_MatchesImageSharp_ForEveryColourTypeDepthAndFilter(int colorType, int bitDepth, int filter)
    {
        var rng = new Random(colorType * 1000 + bitDepth * 10 + filter);
        int width = 13, height = 11; // odd width: low bit depths end rows with padding bits
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int stride = (width * channels * bitDepth + 7) / 8;
        // A mix of ramps, noise and small values, so every predictor meets equal, differing and tied
        // neighbours (Paeth's tie-breaking order matters only when a + b = 2c with a != b).
        var rows = Enumerable.Range(0, height).Select(y =>
            Enumerable.Range(0, stride).Select(i => (byte)(rng.Next(3) switch
            {
                0 => rng.Next(256),
                1 => rng.Next(4),
                _ => (i * 7 + y * 3) & 0xFF,
            })).ToArray()).ToArray();
        byte[]? plte = null;
        if (colorType == 3)
        {
            plte = new byte[3 * (1 << bitDepth)];
            rng.NextBytes(plte);
        }
        var png = PngTestEncoder.Encode(width, height, colorType, bitDepth, rows, y => filter == 5 ? y % 5 : filter, plte);

        var decoded = PngSampleDecoder.Decode(png, "test.png");

        Assert.Equal((width, height, channels, colorType == 3), (decoded.Width, decoded.Height, decoded.Channels, decoded.IsPalette));
        var mine = colorType == 3 ? ImageSharpReference.PaletteColours(decoded.Samples, plte!) : decoded.Samples;
        Assert.Equal(ImageSharpReference.Samples(png, colorType), mine);
    }

    [Theory]
    [InlineData(PngColorType.Grayscale)]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.RgbWithAlpha)]
    [InlineData(PngColorType.GrayscaleWithAlpha)]
    [InlineData(PngColorType.Palette)]
    public void Decoder_HandlesInterlacedFilesThroughImageSharp(PngColorType type)
    {
        using var image = new Image<Rgba32>(37, 23);
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++)
            {
                var (r, g, b) = DavisPalette.Color((x / 5 + y / 4) % 6);
                image[x, y] = new Rgba32(r, g, b, (byte)(255 - x));
            }
        var ms = new MemoryStream();
        image.SaveAsPng(ms, new PngEncoder { ColorType = type, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 });
        var png = ms.ToArray();
        Assert.Equal(1, png[28]); // really interlaced

        var decoded = PngSampleDecoder.Decode(png, "interlaced.png");
        var colorType = ImageSharpReference.ColorType(png);
        var mine = decoded.IsPalette ? ImageSharpReference.PaletteColours(decoded.Samples, ImageSharpReference.Plte(png)) : decoded.Samples;
        Assert.Equal(ImageSharpReference.Samples(png, colorType), mine);
    }

    [SharedDataFact]
    public void Decoder_MatchesImageSharp_OnEveryRealPngInSharedData()
    {
        var files = Directory.EnumerateFiles(SharedData.Path("data"), "*.png", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(SharedData.Path("fixtures"), "*.png", SearchOption.AllDirectories)).ToList();
        Assert.True(files.Count > 900, $"expected the ~940 shared PNGs, found {files.Count}");
        var kinds = new HashSet<int>();
        foreach (var f in files)
        {
            var png = File.ReadAllBytes(f);
            var colorType = ImageSharpReference.ColorType(png);
            kinds.Add(colorType);
            var decoded = PngSampleDecoder.Decode(png, f);
            var mine = decoded.IsPalette ? ImageSharpReference.PaletteColours(decoded.Samples, ImageSharpReference.Plte(png)) : decoded.Samples;
            Assert.True(ImageSharpReference.Samples(png, colorType).AsSpan().SequenceEqual(mine), $"{f}: decoded samples differ from ImageSharp");
        }
        Assert.Superset(new HashSet<int> { 0, 2, 3, 4 }, kinds); // gray, RGB, palette and the one gray+alpha file
    }

    [Fact]
    public void Decoder_RejectsNonPngAndTruncatedFiles_NamingTheFile()
    {
        var e = Assert.Throws<BadInputException>(() => PngSampleDecoder.Decode("GIF89a not a png"u8.ToArray(), "x/a.png"));
        Assert.StartsWith("x/a.png: ", e.Message);

        var good = MaskPng.Encode(new IndexedMask(4, 3, new byte[12]));
        Assert.Throws<BadInputException>(() => PngSampleDecoder.Decode(good[..40], "cut.png"));

        var wrongFilter = PngTestEncoder.Encode(2, 2, 0, 8, [[1, 2], [3, 4]], y => y == 1 ? 7 : 0);
        var bad = Assert.Throws<BadInputException>(() => PngSampleDecoder.Decode(wrongFilter, "f.png"));
        Assert.Contains("filter type 7", bad.Message);
    }
}
