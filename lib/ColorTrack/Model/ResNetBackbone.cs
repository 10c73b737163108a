using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// A ResNet-18-style trunk (BasicBlocks) with torchvision's state_dict key names (conv1, bn1,
/// layer1..layerN, each block .0/.1 with downsample.0/.1), no global pooling and no fc: it maps
/// [N, C, H, W] to a feature map [N, Widths[^1], H/OutputStride, W/OutputStride].
/// </summary>
public sealed class ResNetBackbone : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly SafeBatchNorm bn1;
    readonly MaxPool2d maxpool;
    // torchvision calls the stages layer1..layer4; fields are registered under these names below.
    readonly Sequential[] layers;

    public ResNetConfig Config { get; }

    public ResNetBackbone(ResNetConfig config, string name = "backbone") : base(name)
    {
        config.Validate();
        Config = config;
        conv1 = Conv2d(config.InChannels, config.Widths[0], 7, stride: 2, padding: 3, bias: false);
        bn1 = SafeBatchNorm.Of2d(config.Widths[0]);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("maxpool", maxpool);

        layers = new Sequential[config.Stages];
        var inCh = config.Widths[0];
        for (var s = 0; s < config.Stages; s++)
        {
            var blocks = new List<Module<Tensor, Tensor>>();
            for (var b = 0; b < config.Blocks[s]; b++)
            {
                blocks.Add(new BasicBlock($"block{b}", inCh, config.Widths[s], b == 0 ? config.Strides[s] : 1, config.Dilations[s]));
                inCh = config.Widths[s];
            }
            layers[s] = Sequential(blocks);
            register_module($"layer{s + 1}", layers[s]);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = maxpool.forward(functional.relu(bn1.forward(conv1.forward(x)))); // [N, W0, H/4, W/4]
        foreach (var layer in layers) y = layer.forward(y);
        return y.MoveToOuterDisposeScope(); // [N, Widths[^1], H/stride, W/stride]
    }

    /// <summary>
    /// Copy weights from a PyTorch state_dict saved with torch.save (zip format), non-strict: keys that
    /// match in name and shape are copied, the rest is reported. An RGB conv1 ([o,3,k,k]) loaded into a
    /// gray backbone is summed over its colour channels (a gray pixel g is the RGB pixel (g,g,g)).
    /// Any other shape mismatch, or a file that is not a state_dict, throws <see cref="BadInputException"/>.
    /// </summary>
    public StateDictLoadReport LoadPyTorchStateDict(string path)
    {
        var file = ReadPyTorchStateDict(path);
        try
        {
            var own = state_dict();
            var loaded = new List<string>();
            var adapted = new List<string>();
            var unexpected = new List<string>();
            var mismatched = new List<string>();
            using var noGrad = no_grad();
            foreach (var (key, src) in file)
            {
                if (!own.TryGetValue(key, out var dst)) { unexpected.Add(key); continue; }
                if (dst.shape.SequenceEqual(src.shape))
                {
                    dst.copy_(src);
                }
                else if (key == "conv1.weight" && dst.shape[1] == 1 && src.dim() == 4 && src.shape[1] == 3
                         && dst.shape[0] == src.shape[0] && dst.shape[2] == src.shape[2] && dst.shape[3] == src.shape[3])
                {
                    using var summed = src.sum(1, keepdim: true);
                    dst.copy_(summed);
                    adapted.Add($"{key} (RGB summed to gray)");
                }
                else
                {
                    mismatched.Add($"'{key}' is [{string.Join(",", src.shape)}], expected [{string.Join(",", dst.shape)}]");
                    continue;
                }
                loaded.Add(key);
            }
            if (mismatched.Count > 0)
            {
                mismatched.Sort(StringComparer.Ordinal);
                throw new BadInputException(path, $"{mismatched.Count} tensors do not fit this backbone ({ResNetDescription()}): "
                    + string.Join("; ", mismatched.Take(3)) + (mismatched.Count > 3 ? "; ..." : ""));
            }
            var missing = own.Keys.Where(k => !file.ContainsKey(k)).ToList();
            return new StateDictLoadReport(loaded, missing, unexpected, adapted);
        }
        finally
        {
            foreach (var t in file.Values) t.Dispose();
        }
    }

    string ResNetDescription() =>
        $"in {Config.InChannels}, widths {string.Join("/", Config.Widths)}, blocks {string.Join("/", Config.Blocks)}";

    /// <summary>Read a torch.save'd state_dict (zip) as name -> tensor.</summary>
    public static Dictionary<string, Tensor> ReadPyTorchStateDict(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "file not found");
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not BadInputException)
        {
            throw new BadInputException(path, $"not a PyTorch state_dict saved with torch.save ({Runtime.ErrorText.FirstLine(e.Message)})", e);
        }
        var dict = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor t) dict[key] = t;
            else throw new BadInputException(path, $"entry '{entry.Key}' is not a tensor: only a state_dict (name -> tensor) can be loaded");
        }
        return dict;
    }
}
