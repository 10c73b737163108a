// What the keypoint scripts beside this one share: the repository's build, and a demo run's held-out videos
// (its data/heldout folder: DAVIS layout, the stick figures' keypoints in Keypoints/NAME.json).
#I __SOURCE_DIRECTORY__
#I "../../lib/ColorTrack.Cli/bin/Release/net10.0"
#r "OpenCvSharp.dll"
#r "TorchSharp.dll"
#r "ColorTrack.dll"
#r "ColorTrack.Notebooks.dll"
open System.IO
open ColorTrack.Datasets
open ColorTrack.Propagation
ColorTrack.Runtime.TorchRuntime.EnsureLoaded()

/// The scripts' first three arguments: DEMO-OUT (a demo run's folder), CHECKPOINT|flow|pixels, SCALE; then the rest.
let demoArgs () =
  let a = fsi.CommandLineArgs
  if a.Length < 4 then failwith "arguments: DEMO-OUT CHECKPOINT|flow|pixels SCALE ..."
  a[1], a[2], float a[3], a[4..]

/// The held-out folder of the demo run in folder `demo`.
let heldOutRoot demo = Path.Combine(demo, "data", "heldout")

/// Its videos, in the order of its val list.
let heldOutSequences demo =
  let root = heldOutRoot demo
  let names = File.ReadAllLines(Path.Combine(root, "ImageSets", "2017", "val.txt")) |> Array.filter (fun l -> l.Trim() <> "")
  DavisDataset.Open(root, sequences = names)

/// Optical flow ("flow"), the Lab pixels with their best options ("pixels"), or a checkpoint with the best
/// propagation options, at `scale`, in the demo's precision; `settings` replace the pointers' options.
let trackerSpec (checkpoint: string) (scale: float) (settings: PropagationSettings option) =
  let spec =
    if checkpoint = "flow" then TrackerSpec(TrackerSpec.Flow, Scale = scale)
    elif checkpoint = "pixels" then TrackerSpec(TrackerSpec.Pixels, Scale = scale, Settings = defaultArg settings PixelLabEncoder.BestSettings)
    else TrackerSpec(TrackerSpec.ModelKind, Checkpoint = checkpoint, Scale = scale, Settings = defaultArg settings PropagationSettings.Best)
  spec.WithPrecision("auto")
