using ColorTrack.Datasets;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Datasets;

public class KeypointsFileTests
{
    [Fact]
    public void KeypointsJson_RoundTrips()
    {
        using var dir = new TempDir();
        var k = new KeypointsFile(["head", "hand"], [[new(1.5f, 2, true), new(0, 0, false)], [new(3, 4, true), new(5, 6, true)]], [[0, 1]]);
        k.Save(dir["k.json"]);
        var back = KeypointsFile.Load(dir["k.json"]);
        Assert.Equal(k.Joints, back.Joints);
        Assert.Equal(k.Frames.SelectMany(f => f), back.Frames.SelectMany(f => f));
        Assert.Equal([0, 1], back.Edges![0]);
    }

    [Fact]
    public void KeypointsCsv_ReadsOneFrameWithVisibility()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["k.csv"], "joint,x,y,visible\nhead,10,20,1\nhand,3.5,4,0\n");
        var k = KeypointsFile.Load(dir["k.csv"]);
        Assert.Equal(["head", "hand"], k.Joints);
        Assert.Equal([new Keypoint(10, 20, true), new Keypoint(3.5f, 4, false)], k.Frames[0]);
    }

    [Fact]
    public void Keypoints_OutsideTheFrameAreBadInputButInvisibleOnesAreNot()
    {
        var k = new KeypointsFile(["head", "hand"], [[new(10, 20, true), new(500, 4, false)]]);
        k.CheckInside(0, 64, 48, "k.json");
        var bad = k with { Frames = [[new(10, 60, true), new(5, 4, true)]] };
        var e = Assert.Throws<BadInputException>(() => bad.CheckInside(0, 64, 48, "k.json"));
        Assert.Contains("'head'", e.Message);
        Assert.Contains("outside the 64x48 frame", e.Message);
    }

    [Fact]
    public void KeypointsJson_GarbageIsOneLineBadInput()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["k.json"], "{\"joints\": [\"a\"], \"frames\": [{\"frame\": 0, \"points\": [[1, 2]]}]}");
        var e = Assert.Throws<BadInputException>(() => KeypointsFile.Load(dir["k.json"]));
        Assert.DoesNotContain("\n", e.Message);
    }
}
