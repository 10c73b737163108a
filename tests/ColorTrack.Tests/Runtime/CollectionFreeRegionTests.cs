using ColorTrack.Runtime;

namespace ColorTrack.Tests.Runtime;

public class CollectionFreeRegionTests
{
    [Fact]
    public void Region_HoldsOffCollections_WhileAllocatingWithinBudget()
    {
        int before = -1, after = -2;
        var keep = new List<byte[]>();
        bool held = CollectionFreeRegion.Run(() =>
        {
            before = GC.CollectionCount(0); // entering may collect once, to make room
            for (int i = 0; i < 1000; i++) keep.Add(new byte[1024]);
            after = GC.CollectionCount(0);
        });
        Assert.True(held);
        Assert.Equal(before, after);
        Assert.Equal(1000, keep.Count);
    }

    [Fact]
    public void Region_ReportsWhenAllocationPastTheBudgetEndedIt()
    {
        var keep = new List<byte[]>();
        bool held = CollectionFreeRegion.Run(() => { for (long n = 0; n < 2 * CollectionFreeRegion.BudgetBytes; n += 1 << 20) keep.Add(new byte[1 << 20]); });
        Assert.False(held);
        Assert.NotEqual(System.Runtime.GCLatencyMode.NoGCRegion, System.Runtime.GCSettings.LatencyMode);
    }

    [Fact]
    public void Region_RunsTheActionEvenInsideAnotherRegion()
    {
        bool inner = true, ran = false;
        bool outer = CollectionFreeRegion.Run(() => inner = CollectionFreeRegion.Run(() => ran = true));
        Assert.True(ran);
        Assert.False(inner); // the outer region held, not the inner call
        Assert.True(outer);  // and trying to nest did not end it
    }
}
