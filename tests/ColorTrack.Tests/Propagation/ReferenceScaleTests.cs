using ColorTrack.Baselines;
using ColorTrack.Propagation;

namespace ColorTrack.Tests.Propagation;

/// <summary>A tracking scale defined against a reference short side: every clip is tracked at about the working size the options were chosen at.</summary>
public class ReferenceScaleTests
{
    [Fact]
    public void EffectiveScale_BringsEveryClipToTheReferenceWorkingSize_NeverEnlarging()
    {
        Assert.Equal(0.6, RescaledTracker.EffectiveScale(0.6, 480, 480, 854), 12);   // DAVIS 480p: the scale itself
        Assert.Equal(0.4, RescaledTracker.EffectiveScale(0.6, 480, 720, 1296), 12);  // 720p: the same 288 px short side
        Assert.Equal(0.6 * 480 / 1080, RescaledTracker.EffectiveScale(0.6, 480, 1080, 1920), 12);
        Assert.Equal(1.0, RescaledTracker.EffectiveScale(0.6, 480, 240, 320));       // smaller than the working size: native
        Assert.Equal(0.5, RescaledTracker.EffectiveScale(0.5, null, 720, 1296));      // no reference: the clip's own size

        using var r = new RescaledTracker(new IdentityBaseline(), 0.6, multiple: 8, referenceShortSide: 480);
        Assert.Equal((288L, 520L), r.WorkingSize(720, 1296));
        Assert.Equal((288L, 512L), r.WorkingSize(480, 854));
    }

    [Fact]
    public void ShippedModel_ScaleRefersTo480p_UnlessTheCallerGivesAScale()
    {
        using var factory = new TrackerFactory();
        var shipped = factory.Resolve(TrackerSpec.Shipped);
        Assert.Equal(TrackerSpec.DavisShortSide, shipped.ReferenceShortSide);
        Assert.Null(factory.Resolve(TrackerSpec.Shipped with { Scale = 1.25 }).ReferenceShortSide); // --scale multiplies the clip
        Assert.IsType<RescaledTracker>(factory.Create(TrackerSpec.Shipped));
    }
}
