// PCK of keypoint trackers on a demo run's held-out videos (or a validation set: demo-validation-set.fsx), each
// tracked as the demo tracks joints (KeypointComparison.TrackOnBody: the figure's mask travels with the joints),
// with its time: the rows of "Keypoints on a finer grid" in docs/demo.md. A ROW is KIND[:SIZE[:RADIUS[:WINDOW]]]:
//   KIND    model (CHECKPOINT), start (the shipped default model), pixels (the Lab pixels) with the best options,
//           paper (CHECKPOINT with the paper's inference), or flow;
//   SIZE    the side, in pixels, the 128-px clips are enlarged to (default 256; flow's best is 128);
//   RADIUS  the search radius in cells (default 12, the best options'), WINDOW the reference frames (default 20).
// Build first (dotnet build Workbench.sln -c Release), then from the repository root:
//   dotnet fsi docs/scripts/demo-keypoint-grid.fsx DEMO-OUT CHECKPOINT 1 model model:512:24 flow:128
// (the third argument, the other scripts' scale, is unused: each row names its size).
#load "DemoHeldOut.fsx"
open System.IO
open DemoHeldOut
open ColorTrack.Datasets
open ColorTrack.Evaluation
open ColorTrack.Analysis
open ColorTrack.Propagation
open ColorTrack.Video
let demo, checkpoint, _, rows = demoArgs ()
let root = heldOutRoot demo
let sequences = heldOutSequences demo
let factory = new TrackerFactory()
let struct (shipped, _) = ColorTrack.Model.ShippedModel.Resolve("default")
for row in rows do
  let f = row.Split(':')
  let size = if f.Length > 1 then float f[1] else 256.0
  let scale = size / float (ColorTrack.Imaging.MaskPng.Read(sequences[0].MaskPath(sequences[0].Frames[0])).Height)
  let settings (s: PropagationSettings) = // s with the row's radius and window (F# cannot copy-and-update a C# record)
    PropagationSettings(Temperature = s.Temperature, Window = (if f.Length > 3 then int f[3] else s.Window), LongTermMemory = s.LongTermMemory,
                        TopK = s.TopK, Radius = (if f.Length > 2 then float f[2] else s.Radius), L2Normalize = s.L2Normalize,
                        RadiusSparesFirstFrame = s.RadiusSparesFirstFrame, WindowStartsWithCopies = s.WindowStartsWithCopies,
                        ChunkMiB = s.ChunkMiB, ComputeType = s.ComputeType, TileSide = s.TileSide)
  let spec =
    match f[0] with
    | "model" -> trackerSpec checkpoint scale (Some (settings PropagationSettings.Best))
    | "start" -> trackerSpec shipped scale (Some (settings PropagationSettings.Best))
    | "paper" -> trackerSpec checkpoint scale (Some PropagationSettings.Paper)
    | "pixels" -> trackerSpec "pixels" scale (Some (settings PixelLabEncoder.BestSettings))
    | "flow" -> trackerSpec "flow" scale None
    | k -> failwithf "unknown tracker %s (model, start, paper, pixels, flow)" k
  let sw = System.Diagnostics.Stopwatch.StartNew()
  let scored =
    [ for seq in sequences ->
        let path = Path.Combine(root, "Keypoints", seq.Name + ".json")
        let truth = KeypointsFile.Load(path)
        let frames () = FrameSources.Open(DavisDataset.FramesFolderOf(root, seq.Name), FrameSourceOptions(MaxFrames = seq.Frames.Count))
        let prediction = KeypointComparison.TrackOnBody(factory.Create(spec), frames, truth, path, seq.MaskPath(seq.Frames[0]))
        struct (KeypointComparison.Truth(truth, seq.Name, seq.Frames.Count), prediction) ]
  let r = PckEvaluator.Evaluate(scored)
  printfn "%s %-16s PCK@0.1 %5.1f  @0.2 %5.1f  @0.3 %5.1f  @0.5 %5.1f   (%d videos, %.0f s)" (Path.GetFileName(Path.GetFullPath demo)) row r.Mean[0] r.Mean[1] r.Mean[2] r.Mean[4] sequences.Count sw.Elapsed.TotalSeconds
