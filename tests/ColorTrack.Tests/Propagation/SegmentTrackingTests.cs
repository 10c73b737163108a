using ColorTrack.Propagation;
using ColorTrack.Runtime;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

public class SegmentTrackingTests
{
    public SegmentTrackingTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    [Fact]
    public void Decide_TakesTheArgmaxAsTorchDoes_AndMapsChannelsToIds()
    {
        // 5 categories with ids 0, 3, 7, 8, 200; soft labels rounded to tenths so that equal maxima
        // occur: the first channel wins, as torch's argmax.
        byte[] ids = [0, 3, 7, 8, 200];
        var soft = rand(5, 23, 31).mul_(Scalars.S(10)).round_().div_(Scalars.S(10));
        var mask = SegmentTracking.Decide(soft, ids);
        var expected = soft.argmax(0).data<long>().ToArray().Select(c => ids[c]).ToArray();
        Assert.Equal(31, mask.Width);
        Assert.Equal(23, mask.Height);
        Assert.Equal(expected, mask.Ids.ToArray());
        Assert.Contains(true, soft.eq(soft.max(0).values.unsqueeze(0)).sum(0).gt(Scalars.S(1)).data<bool>().ToArray()); // ties were tested
    }
}
