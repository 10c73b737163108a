// Track an object through a clip with the shipped model, from F#: the library as a package.
//
//   dotnet pack Workbench.sln -c Release          # once: writes the packages to artifacts/packages
//   dotnet fsi examples/track-a-clip.fsx           # a generated clip (no data needed)
//   dotnet fsi examples/track-a-clip.fsx CLIP FIRST_MASK.png [OUT]   # your clip: a video file or a folder of frames
//
// The packages come from the clone's artifacts/packages (examples/NuGet.config names it). Elsewhere, add the feed
// that holds them: #i "nuget: /absolute/path/to/feed".
#r "nuget: ColorTrack, 0.2.0"

open System
open System.IO
open System.Diagnostics
open ColorTrack.Runtime
open ColorTrack.Imaging
open ColorTrack.Video
open ColorTrack.Evaluation
open ColorTrack.Propagation
open ColorTrack.Synthetic

TorchRuntime.EnsureLoaded()

let args = fsi.CommandLineArgs |> Array.skip 1
let out = if args.Length >= 3 then args[2] else Path.Combine(Path.GetTempPath(), "colortrack-fsx-" + Guid.NewGuid().ToString("N").Substring(0, 8))

/// A generated clip (40 frames, 320x240, written as an mp4) and its largest object's first and last masks.
let generated () =
    let work = Path.Combine(out, "clip")
    Directory.CreateDirectory work |> ignore
    let video = SyntheticVideoGenerator.Generate(SyntheticVideoOptions(Seed = 8), "generated")
    let path = Path.Combine(work, "generated.mp4")
    do
        use writer = new OverlayVideoWriter(path, video.Width, video.Height, video.FramesPerSecond)
        for f in video.Frames do writer.WriteFrame f.Rgb
        writer.Complete()
    let id = video.Masks[0].Ids |> Array.filter (fun v -> v > 0uy) |> Array.countBy id |> Array.maxBy snd |> fst
    let only (m: IndexedMask) = IndexedMask(m.Width, m.Height, m.Ids |> Array.map (fun v -> if v = id then 1uy else 0uy))
    let last = video.Frames.Count - 1
    MaskPng.Write(Path.Combine(work, "first.png"), only video.Masks[0])
    path, Path.Combine(work, "first.png"), Some (last, only video.Masks[last])

let clip, firstMask, laterTruth =
    match args with
    | [| clip; mask |] | [| clip; mask; _ |] -> clip, mask, None
    | [||] -> generated ()
    | _ -> eprintfn "usage: dotnet fsi track-a-clip.fsx [CLIP FIRST_MASK.png [OUT]]"; exit 2

let factory = new TrackerFactory()
let spec = factory.Resolve(TrackerSpec(TrackerSpec.ModelKind, Checkpoint = "default"))
let tracker = factory.Create spec
let masks = ResizeArray<IndexedMask>()
let clock = Stopwatch.StartNew()
let tracked =
    use source = FrameSources.Open clip
    SegmentTracking.Run(tracker, source, MaskPng.Read firstMask, firstMask, Path.Combine(out, "masks"), fun _ m -> masks.Add m)
let seconds = clock.Elapsed.TotalSeconds

printfn "ColorTrack %s, libtorch %s" (typeof<TrackerFactory>.Assembly.GetName().Version.ToString(3)) TorchRuntime.LibTorchVersion
printfn "tracked %d frames of %s in %.1f s (%.2f s per frame) -> %s" tracked (Path.GetFileName clip) seconds (seconds / float (max 1 (tracked - 1))) (Path.Combine(out, "masks"))
match laterTruth with
| Some (t, truth) ->
    let struct (j, f) = DavisMetrics.ScoreFrame(truth, masks[t], truth.MaxId())
    printfn "J&F %.3f on frame %d (J %.3f, F %.3f)" ((Array.average j + Array.average f) / 2.0) t (Array.average j) (Array.average f)
| None -> ()
