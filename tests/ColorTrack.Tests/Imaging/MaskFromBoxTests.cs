using ColorTrack.Imaging;

namespace ColorTrack.Tests.Imaging;

public class MaskFromBoxTests
{
    [Fact]
    public void FromBox_FillsTheBoxWithTheId_AndNothingElse()
    {
        var m = IndexedMask.FromBox(6, 4, left: 1, top: 2, boxWidth: 3, boxHeight: 1, id: 7);
        Assert.Equal(new byte[]
        {
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0,
            0, 7, 7, 7, 0, 0,
            0, 0, 0, 0, 0, 0,
        }, m.Ids);
    }

    [Fact]
    public void FromBox_PartlyOutside_IsClippedToTheFrame()
    {
        var m = IndexedMask.FromBox(4, 3, left: -2, top: 1, boxWidth: 4, boxHeight: 10);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0 }, m.Ids);
    }

    [Theory]
    [InlineData(10, 0, 2, 2)]   // right of the frame
    [InlineData(0, 0, 0, 2)]    // empty
    [InlineData(-5, -5, 3, 3)]  // above and left
    public void FromBox_MissingTheFrame_IsAnErrorNamingTheBox(int left, int top, int w, int h)
    {
        var e = Assert.Throws<ArgumentException>(() => IndexedMask.FromBox(8, 6, left, top, w, h));
        Assert.Contains($"left {left}, top {top}, {w}x{h}", e.Message);
    }
}
