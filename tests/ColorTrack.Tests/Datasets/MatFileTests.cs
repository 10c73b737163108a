using System.Globalization;
using System.Text.RegularExpressions;
using ColorTrack.Datasets;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Datasets;

public class MatFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_NumericMatricesOfEveryStorageForm(bool bigEndian)
    {
        var bytes = new MatTestWriter(bigEndian)
            .Matrix("a", [2, 3], [1, 2, 3, 4, 5, 6])                                                              // double as double, column-major
            .Matrix("small_ints", [1, 3], [7, 255, 0], MatTestWriter.ClassDouble, MatTestWriter.MiUInt8)          // double stored as uint8
            .Matrix("s", [1, 2], [0.5, -1.25], MatTestWriter.ClassSingle, MatTestWriter.MiSingle, smallName: false)
            .Matrix("i", [2, 1], [-3, 70000], MatTestWriter.ClassInt32, MatTestWriter.MiInt32)
            .Matrix("neg8", [1, 2], [-5, 100], MatTestWriter.ClassDouble, MatTestWriter.MiInt8)
            .Matrix("z", [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], compress: true)
            .Matrix("text", [1, 2], [104, 105], MatTestWriter.ClassChar, MatTestWriter.MiInt16)                   // char: skipped
            .ToArray();

        var vars = MatFile.Read(bytes);

        Assert.Equal(["a", "i", "neg8", "s", "small_ints", "z"], vars.Keys.Order());
        Assert.Equal([2, 3], vars["a"].Dims);
        Assert.Equal(5, vars["a"][0, 2]);
        Assert.Equal(2, vars["a"][1, 0]);
        Assert.Equal([7.0, 255, 0], vars["small_ints"].Data);
        Assert.Equal([0.5, -1.25], vars["s"].Data);
        Assert.Equal("single", vars["s"].Class);
        Assert.Equal([-3.0, 70000], vars["i"].Data);
        Assert.Equal([-5.0, 100], vars["neg8"].Data);
        Assert.Equal(7, vars["z"][0, 1, 1]);
    }

    [Fact]
    public void Read_NotAMatFile_IsBadInput()
    {
        var e = Assert.Throws<BadInputException>(() => MatFile.Read(new byte[200], "x.mat"));
        Assert.StartsWith("x.mat: ", e.Message);
        var truncated = new MatTestWriter().Matrix("a", [2, 3], [1, 2, 3, 4, 5, 6]).ToArray()[..150];
        Assert.Throws<BadInputException>(() => MatFile.Read(truncated, "t.mat"));
    }

    [SharedDataFact]
    public void Read_JhmdbJointPositions_EqualsTheOpenCvYamlCopy()
    {
        var dir = SharedData.Path("data", "jhmdb-sample");
        var pos = MatFile.Read(Path.Combine(dir, "joint_positions.mat"))["pos_img"];
        Assert.Equal([2, 15, 40], pos.Dims);

        // joint_positions.yaml: frame_<t> (1-based) blocks, each a 2 x 15 row-major float matrix (x row, y row).
        var yaml = File.ReadAllText(Path.Combine(dir, "joint_positions.yaml"));
        var blocks = Regex.Matches(yaml, @"frame_(\d+):.*?data:\s*\[([^\]]*)\]", RegexOptions.Singleline);
        Assert.Equal(40, blocks.Count);
        foreach (Match m in blocks)
        {
            int t = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1;
            var v = m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            for (int j = 0; j < 15; j++)
            {
                Assert.Equal(v[j], pos[0, j, t], 1e-4);
                Assert.Equal(v[15 + j], pos[1, j, t], 1e-4);
            }
        }

        var joints = JhmdbJoints.Load(Path.Combine(dir, "joint_positions.mat"), "clip");
        Assert.Equal(40, joints.Frames);
        Assert.Equal(pos[0, 3, 7] - 1, joints.X[7][3]);
        Assert.Equal(pos[1, 3, 7] - 1, joints.Y[7][3]);
    }

    [SharedDataFact]
    public void FindClips_TheSharedSample_IsOneClipNamedAfterItsFrameFolder()
    {
        var clips = JhmdbJoints.FindClips(SharedData.Path("data", "jhmdb-sample"));
        Assert.Equal(["Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2"], clips.Keys);
    }
}
