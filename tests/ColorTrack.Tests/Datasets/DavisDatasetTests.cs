using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Datasets;

public class DavisDatasetTests
{
    static void Masks(string folder, params int[] frames)
    {
        foreach (var f in frames) MaskPng.Write(Path.Combine(folder, $"{f:D5}.png"), new IndexedMask(4, 3, new byte[12]));
    }

    [Fact]
    public void Open_GapInFrameNumbering_NamesTheMissingFile()
    {
        using var dir = new TempDir();
        Masks(dir["seq"], 0, 1, 2, 4, 5);
        var e = Assert.Throws<BadInputException>(() => DavisDataset.Open(dir.Path));
        Assert.Equal(Path.Combine(dir["seq"], "00003.png"), e.Path);
        Assert.Contains("00002.png to 00004.png", e.Message);
    }

    [Fact]
    public void Open_PlainFolderOfSequences_ListsThemSortedWithFramesInNumericOrder()
    {
        using var dir = new TempDir();
        Masks(dir["b"], 0, 1, 2);
        Masks(dir["a"], 8, 9, 10, 11);
        Directory.CreateDirectory(dir["not-a-sequence"]);
        var seqs = DavisDataset.Open(dir.Path);
        Assert.Equal(["a", "b"], seqs.Select(s => s.Name));
        Assert.Equal(["00008", "00009", "00010", "00011"], seqs[0].Frames);
        Assert.Equal(["00009", "00010"], seqs[0].ScoredFrames);
    }

    [Fact]
    public void Open_Davis2017Layout_ReadsTheImageSetList_AndSkipsListedSequencesWithoutAnnotations()
    {
        using var dir = new TempDir();
        Masks(dir["Annotations/480p/cows"], 0, 1, 2);
        Masks(dir["Annotations/480p/dog"], 0, 1, 2);
        Directory.CreateDirectory(dir["ImageSets/2017"]);
        File.WriteAllText(dir["ImageSets/2017/val.txt"], "dog\ncows\nabsent\n");
        var notes = new List<string>();

        var seqs = DavisDataset.Open(dir.Path, "val", "2017", warn: notes.Add);

        Assert.Equal(["dog", "cows"], seqs.Select(s => s.Name));
        Assert.Contains("absent", Assert.Single(notes));
        var e = Assert.Throws<BadInputException>(() => DavisDataset.Open(dir.Path, "train", "2017"));
        Assert.Contains("train.txt", e.Message);
        Assert.Throws<BadInputException>(() => DavisDataset.Open(dir.Path, sequences: ["absent"])); // named explicitly: must exist
    }

    [SharedDataFact]
    public void Open_Davis2016TrainSubset_FindsItsSixSequences()
    {
        var seqs = DavisDataset.Open(SharedData.Path("data", "davis2016-train"), "train", "2016");
        Assert.Equal(407, seqs.Sum(s => s.Frames.Count));
    }

    [SharedDataFact]
    public void DbInfo_ListsAttributesOfAllFiftySequences()
    {
        var (attributes, seqs) = DavisSequenceInfo.Load(DavisSequenceInfo.Find(SharedData.Path("data", "davis2016-train"))!);
        Assert.Equal(50, seqs.Count);
        Assert.Contains("OCC", attributes);
        var bear = seqs.Single(s => s.Name == "bear");
        Assert.Equal(["DEF"], bear.Attributes);
        Assert.Equal(82, bear.NumFrames);
    }
}
