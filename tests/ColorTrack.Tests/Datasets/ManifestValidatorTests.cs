using ColorTrack.Datasets.Manifests;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Datasets;

public class ManifestValidatorTests
{
    static DatasetManifest Manifest(string name) => DatasetManifest.Load(Path.Combine(RepoRoot.Path, "data-manifests", name + ".json"));

    [Fact]
    public void Manifests_AllLoadAndAgreeWithTheirOwnCounts()
    {
        var d16 = Manifest("davis2016");
        Assert.Equal(2079, d16.Sets["train"].Sequences!.Values.Sum());
        Assert.Equal(1376, d16.Sets["val"].Sequences!.Values.Sum());
        Assert.Equal(30, d16.Sets["train"].SequenceCount);
        Assert.Equal(30, Manifest("davis2017").Sets["val"].Sequences!.Count);
        Assert.Equal(21, Manifest("jhmdb").Classes!.Length);
        Assert.Equal("kinetics", Manifest("kinetics400").Kind);
    }

    [SharedDataFact]
    public void Davis2016_SharedPartialCopy_IsUsableWithAWarning()
    {
        var r = ManifestValidator.Validate(Manifest("davis2016"), SharedData.Path("data", "davis2016-train"), "train");
        Assert.True(r.Ok, string.Join("\n", r.Errors));
        Assert.Equal(["bear", "boat", "dog-agility", "hockey", "kite-walk", "tennis"], r.Usable.Order());
        Assert.Contains(r.Warnings, w => w.Contains("6 of 30 train sequences present"));
        Assert.Contains(r.Counts, c => c.What.StartsWith("train frames") && c.Found == "407");
    }

    [SharedDataFact]
    public void Davis2016_MissingImageSetList_IsOneErrorNamingIt()
    {
        using var tmp = new TempDir();
        LinkTree(SharedData.Path("data", "davis2016-train"), tmp.Path, skip: "ImageSets");
        var r = ManifestValidator.Validate(Manifest("davis2016"), tmp.Path, "train");
        var e = Assert.Single(r.Errors);
        Assert.Contains(Path.Combine("ImageSets", "480p", "train.txt"), e);
        Assert.Contains("image-set list missing", e);
        Assert.Throws<BadInputException>(r.ThrowIfInvalid);
    }

    [SharedDataFact]
    public void Davis2016_GapInFrameNumbers_NamesTheMissingFrame()
    {
        using var tmp = new TempDir();
        LinkTree(SharedData.Path("data", "davis2016-train"), tmp.Path, skip: Path.Combine("JPEGImages", "480p", "boat", "00040.jpg"));
        var r = ManifestValidator.Validate(Manifest("davis2016"), tmp.Path, "train");
        Assert.Contains(r.Errors, e => e.Contains(Path.Combine("boat", "00040.jpg")) && e.Contains("gap"));
        Assert.DoesNotContain("boat", r.Usable);
        Assert.Contains("bear", r.Usable);
    }

    [SharedDataFact]
    public void Jhmdb_LayoutWithTheSampleClip_FindsOneClip()
    {
        using var tmp = new TempDir();
        const string clip = "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2";
        var frames = Directory.CreateDirectory(Path.Combine(tmp.Path, "Rename_Images", "catch", clip)).FullName;
        foreach (var f in Directory.GetFiles(SharedData.Path("data", "jhmdb-sample", clip)))
            File.CreateSymbolicLink(Path.Combine(frames, Path.GetFileName(f)), f);
        var joints = Directory.CreateDirectory(Path.Combine(tmp.Path, "joint_positions", "catch", clip)).FullName;
        File.CreateSymbolicLink(Path.Combine(joints, "joint_positions.mat"), SharedData.Path("data", "jhmdb-sample", "joint_positions.mat"));

        var r = ManifestValidator.Validate(Manifest("jhmdb"), tmp.Path);
        Assert.True(r.Ok, string.Join("\n", r.Errors));
        Assert.Equal([$"catch/{clip}"], r.Usable);
        Assert.Contains(r.Counts, c => c.What == "frames" && c.Found == "40");
    }

    [SharedDataFact]
    public void Kinetics_TooManyMissingVideos_IsAnError_FewAreAWarning()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["annotations"]);
        var train = Directory.CreateDirectory(tmp["train"]).FullName;
        File.CreateSymbolicLink(Path.Combine(train, "dogvid00001_000010_000020.mp4"), SharedData.Path("data", "videos", "01_dog.mp4"));
        File.CreateSymbolicLink(Path.Combine(train, "cupsvid0001_000000_000010.mp4"), SharedData.Path("data", "videos", "02_cups.mp4"));
        File.WriteAllLines(tmp["annotations/train.csv"], [
            "label,youtube_id,time_start,time_end,split",
            "walking the dog,dogvid00001,10,20,train",
            "juggling,cupsvid0001,0,10,train",
            "juggling,gone0000001,5,15,train"]);
        var strict = ManifestValidator.Validate(Manifest("kinetics400"), tmp.Path, "train");
        Assert.Contains(strict.Errors, e => e.Contains("1 of 3 listed train videos are missing"));

        var lenient = ManifestValidator.Validate(Manifest("kinetics400") with { MaxMissingFraction = 0.5 }, tmp.Path, "train");
        Assert.True(lenient.Ok, string.Join("\n", lenient.Errors));
        Assert.Equal(2, lenient.Usable.Count);
        Assert.Contains(lenient.Warnings, w => w.Contains("1 of 3 listed videos missing"));
    }

    [Fact]
    public void Kinetics_UndecodableVideo_IsNamed()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp["annotations"]);
        Directory.CreateDirectory(tmp["train"]);
        File.WriteAllText(tmp["train/broken00001_000000_000010.mp4"], "not a video");
        File.WriteAllLines(tmp["annotations/train.csv"], ["label,youtube_id,time_start,time_end,split", "x,broken00001,0,10,train"]);
        var r = ManifestValidator.Validate(Manifest("kinetics400"), tmp.Path, "train");
        Assert.Contains(r.Errors, e => e.Contains("broken00001_000000_000010.mp4") && e.Contains("cannot be decoded"));
    }

    /// <summary>Mirror a folder tree with symbolic links to its files (never copies shared data).</summary>
    static void LinkTree(string from, string to, string skip)
    {
        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, f);
            if (rel == skip || rel.StartsWith(skip + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            var target = Path.Combine(to, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.CreateSymbolicLink(target, f);
        }
    }
}
