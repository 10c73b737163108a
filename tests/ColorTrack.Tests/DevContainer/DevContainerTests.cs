using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.DevContainer;

/// <summary>
/// The development container opens on every host: the main configuration never asks Docker for a GPU
/// (`docker run --gpus all` fails without the NVIDIA runtime); the Dev Containers CLI adds it where
/// there is one, because the GPU is an optional host requirement.
/// </summary>
public class DevContainerTests
{
    static string Main => Path.Combine(RepoRoot.Path, ".devcontainer", "devcontainer.json");
    static string Gpu => Path.Combine(RepoRoot.Path, ".devcontainer", "gpu", "devcontainer.json");

    static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Docker arguments that request a GPU (any spelling docker run takes).</summary>
    static bool AsksForGpu(string arg) =>
        arg.StartsWith("--gpus", StringComparison.Ordinal) || arg.Contains("nvidia", StringComparison.OrdinalIgnoreCase);

    static string[] RunArgs(JsonNode config) => config["runArgs"]?.AsArray().Select(a => a!.GetValue<string>()).ToArray() ?? [];

    [Fact]
    public void MainConfiguration_AsksForNoGpuInRunArgs_AndMakesTheGpuOptional()
    {
        var config = JsonNode.Parse(File.ReadAllText(Main), documentOptions: Jsonc)!;
        Assert.DoesNotContain(RunArgs(config), AsksForGpu);
        Assert.Equal("optional", config["hostRequirements"]?["gpu"]?.GetValue<string>());
        Assert.Equal("bash .devcontainer/build.sh", config["postStartCommand"]?.GetValue<string>());
    }

    [Fact]
    public void GpuVariant_RequiresAGpuAndAsksDockerForIt()
    {
        var config = JsonNode.Parse(File.ReadAllText(Gpu), documentOptions: Jsonc)!;
        Assert.Contains(RunArgs(config), AsksForGpu);
        Assert.True(config["hostRequirements"]?["gpu"]?.GetValue<bool>());
    }

    [Fact]
    public void BuildScript_ChoosesTheCudaBackendOnlyWhenNvidiaSmiSeesAGpu()
    {
        var script = File.ReadAllText(Path.Combine(RepoRoot.Path, ".devcontainer", "build.sh"));
        Assert.Contains("nvidia-smi -L", script);
        Assert.Contains("backend=cuda", script);
        Assert.Contains("backend=cpu", script);
    }

    /// <summary>
    /// The Dev Containers CLI (npm @devcontainers/cli, installed by .ci/run; its path in DEVCONTAINER_CLI)
    /// reads and validates both configurations. It needs no Docker daemon: it only asks docker for
    /// existing containers, and /bin/true stands in for docker, listing none.
    /// </summary>
    [DevContainerCliTheory]
    [InlineData(".devcontainer/devcontainer.json", false)]
    [InlineData(".devcontainer/gpu/devcontainer.json", true)]
    public void DevContainersCli_ReadsTheConfiguration(string file, bool gpu)
    {
        var psi = new ProcessStartInfo(DevContainerCliTheoryAttribute.Cli!)
        {
            ArgumentList = { "read-configuration", "--workspace-folder", RepoRoot.Path, "--config", Path.Combine(RepoRoot.Path, file), "--docker-path", "/bin/true" },
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "devcontainer read-configuration did not finish in 60 s");
        Assert.True(p.ExitCode == 0, $"devcontainer read-configuration exited {p.ExitCode}: {stderr.Result}");
        var config = JsonNode.Parse(stdout)!["configuration"]!;
        Assert.Equal(gpu, RunArgs(config).Any(AsksForGpu));
        Assert.Equal("mcr.microsoft.com/devcontainers/dotnet:10.0-noble", config["image"]!.GetValue<string>());
    }
}

/// <summary>
/// A theory that needs the Dev Containers CLI (DEVCONTAINER_CLI): skipped with the reason when absent,
/// failed when WORKBENCH_REQUIRE_DEVCONTAINER_CLI=1 (CI installs it).
/// </summary>
public sealed class DevContainerCliTheoryAttribute : TheoryAttribute
{
    public static string? Cli { get; } = Environment.GetEnvironmentVariable("DEVCONTAINER_CLI") is { Length: > 0 } p && File.Exists(p) ? p : null;

    public DevContainerCliTheoryAttribute()
    {
        if (Cli is null && Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_DEVCONTAINER_CLI") != "1")
            Skip = "Dev Containers CLI not found: set DEVCONTAINER_CLI to its `devcontainer` program (npm install @devcontainers/cli; .ci/run does)";
    }
}
