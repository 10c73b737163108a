using ColorTrack.Notebooks.Formatting;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Tests.Notebooks;

public class AnimationTests
{
    static Picture Solid(int w, int h, byte r) => new(w, h, Enumerable.Range(0, w * h).SelectMany(_ => new[] { r, (byte)0, (byte)0 }).ToArray());

    [Fact]
    public void Animation_IsALoopingGifWithEveryFrameInTurn()
    {
        var gif = new Animation([Solid(8, 6, 0), Solid(8, 6, 128), Solid(8, 6, 255)], FramesPerSecond: 5).ToGif();
        using var img = Image.Load<Rgb24>(gif);
        Assert.Equal(3, img.Frames.Count);
        Assert.Equal(0, img.Metadata.GetGifMetadata().RepeatCount); // loops forever
        Assert.Equal(20, img.Frames[1].Metadata.GetGifMetadata().FrameDelay); // 1/5 s in GIF's 1/100 s
        Assert.Equal([0, 128, 255], Enumerable.Range(0, 3).Select(i => (int)img.Frames[i][4, 3].R));
    }

    [Fact]
    public void Animation_WiderThanMaxWidth_IsScaledDown_AspectKept()
    {
        using var img = Image.Load<Rgb24>(new Animation([Solid(640, 480, 10), Solid(640, 480, 20)]).ToGif());
        Assert.Equal((240, 180), (img.Width, img.Height));
    }

    [Fact]
    public void Animation_FramesOfDifferentSizes_AreAnError()
    {
        Assert.Throws<ArgumentException>(() => new Animation([Solid(8, 6, 0), Solid(6, 8, 0)]).ToGif());
    }
}
