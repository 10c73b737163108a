using ColorTrack.Analysis;

namespace ColorTrack.Tests.Analysis;

public class VerdictsTests
{
    static readonly Dictionary<string, double> Scores = new()
    {
        ["colorization (paper inference)"] = 0.90, // our other row: never a competitor
        ["colorization (best options)"] = 0.50,
        ["pixels (Lab, best options)"] = 0.62,
        ["optical flow"] = 0.55,
        ["identity"] = 0.20,
    };

    [Fact]
    public void Standing_NamesEveryTrackerAhead_WithItsGapAndWhy_BestFirst()
    {
        var line = Verdicts.Standing(Scores, "colorization (best options)", "J&F", synthetic: true);
        Assert.StartsWith("colorization (best options) (J&F 0.500) is BEHIND pixels (Lab, best options) (0.620, by 0.120), optical flow (0.550, by 0.050); ahead of identity (0.200). Why: the Lab-pixel pointer sees", line);
        Assert.Contains("; flow is precise", line);
        Assert.True(line.IndexOf("Why: the Lab-pixel") < line.IndexOf("; flow is precise"));
        Assert.DoesNotContain("paper inference", line);
    }

    [Fact]
    public void Standing_AheadOfAll_NamesTheClosest()
    {
        var scores = new Dictionary<string, double>(Scores) { ["colorization (best options)"] = 0.70 };
        Assert.Equal("colorization (best options) (J&F 0.700) is ahead of every baseline; the closest, pixels (Lab, best options) (0.620), by 0.080.",
            Verdicts.Standing(scores, "colorization (best options)", "J&F", synthetic: true));
    }
}
