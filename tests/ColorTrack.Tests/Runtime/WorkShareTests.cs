using ColorTrack.Runtime;

namespace ColorTrack.Tests.Runtime;

public class WorkShareTests
{
    [Fact]
    public void WorkShare_GivesEveryPieceOneRank_AndTheRanksAboutEqualWork()
    {
        double[] frames = [50, 80, 40, 90, 70, 77]; // the six validation sequences' frame counts, roughly
        var owners = WorkShare.Owners(frames, 2);
        Assert.All(owners, r => Assert.InRange(r, 0, 1));
        var load = new double[2];
        for (int i = 0; i < frames.Length; i++) load[owners[i]] += frames[i];
        // Longest first onto the least-loaded rank: 90->0, 80->1, 77->1, 70->0, 50->1, 40->0.
        Assert.Equal([200.0, 207.0], load);
        Assert.Equal(owners, WorkShare.Owners(frames, 2)); // every rank computes the same split
    }

    [Fact]
    public void WorkShare_OneRank_OwnsEverything_InOrder()
    {
        Assert.All(WorkShare.Owners([3, 1, 2], 1), r => Assert.Equal(0, r));
        Assert.Equal(["a", "b", "c"], WorkShare.Mine(["a", "b", "c"], _ => 1, world: null));
    }

    [Fact]
    public void WorkShare_MoreRanksThanPieces_LeavesSomeRanksIdle()
    {
        var owners = WorkShare.Owners([5, 5], 4);
        Assert.Equal([0, 1], owners);
    }
}
