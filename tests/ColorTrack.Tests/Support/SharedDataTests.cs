namespace ColorTrack.Tests.Support;

public class SharedDataTests
{
    [Fact]
    public void SharedData_IsPresentWhenCiRequiresIt()
    {
        // CI (WORKBENCH_REQUIRE_SHARED=1) must never silently skip the real-data tests.
        if (SharedData.Required) Assert.True(SharedData.Available, SharedData.MissingMessage);
    }
}
