using System.Reflection;
using System.Reflection.Emit;
using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Runtime;

/// <summary>
/// The library must never hand libtorch a temporary <see cref="Scalar"/> (see <see cref="Scalars"/>:
/// TorchSharp 0.107 lets the GC free it mid-call). These tests read IL: TorchSharp's, to find every
/// method that makes a temporary Scalar itself (directly or through the methods it calls), and ours,
/// to find every call of such a method or of Scalar's implicit conversions.
/// </summary>
public class TemporaryScalarTests
{
    static readonly Type ScalarClass = typeof(Scalar);

    [Fact]
    public void LibraryCode_MakesNoTemporaryScalars()
    {
        var unsafeInTorchSharp = MethodsMakingTemporaryScalars();
        var offenders = new List<string>();
        foreach (var asm in new[] { typeof(Scalars).Assembly, typeof(ColorTrack.Cli.CliErrors).Assembly })
            foreach (var m in MethodsOf(asm))
                foreach (var callee in Callees(m))
                    if (IsImplicitScalar(callee) || unsafeInTorchSharp.Contains(callee))
                        offenders.Add($"{m.DeclaringType!.FullName}.{m.Name} calls {callee.DeclaringType!.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
        Assert.True(offenders.Count == 0, "temporary Scalars (use Runtime.Scalars):\n" + string.Join("\n", offenders.Distinct()));
    }

    [Fact]
    public void Scanner_FindsTheKnownTemporaries()
    {
        // The scanner itself: TorchSharp's a + b, x.square() and x.add_(1) make temporaries, and our
        // replacements do not. Were the IL reading broken, the test above would pass vacuously.
        var bad = MethodsMakingTemporaryScalars();
        Assert.Contains(typeof(Tensor).GetMethod("op_Addition", [typeof(Tensor), typeof(Tensor)])!, bad);
        Assert.Contains(typeof(Tensor).GetMethod("square", Type.EmptyTypes)!, bad);
        Assert.Contains(typeof(Tensor).GetMethod("add_", [typeof(Scalar)])!, bad);
        Assert.DoesNotContain(typeof(Tensor).GetMethod("add", [typeof(Tensor), typeof(Scalar)])!, bad);
        Assert.DoesNotContain(typeof(Tensor).GetMethod("mul", [typeof(Scalar)])!, bad);
        var sample = typeof(TemporaryScalarTests).GetMethod(nameof(UsesATemporary), BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.Contains(Callees(sample), IsImplicitScalar);
        foreach (var m in typeof(Scalars).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            Assert.DoesNotContain(Callees(m), c => bad.Contains(c) || (IsImplicitScalar(c) && m.Name != "S" && m.Name != "I"));
    }

    [Fact]
    public void Scalars_KeepTorchSemantics()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 10, 20, 30 });
        Assert.Equal(new float[] { 11, 22, 33 }, a.Plus(b).data<float>().ToArray());
        Assert.Equal(new float[] { 1.5f, 2.5f, 3.5f }, a.Plus(0.5).data<float>().ToArray());
        Assert.Equal(new float[] { 1, 4, 9 }, a.Squared().data<float>().ToArray());
        var r = Scalars.Range(2, 5);
        Assert.Equal(ScalarType.Int64, r.dtype);
        Assert.Equal(new long[] { 2, 3, 4 }, r.data<long>().ToArray());
        Assert.Equal(ScalarType.Int64, (r * Scalars.I(3)).dtype); // integer constants keep integers integer
        Assert.Same(Scalars.S(0.25), Scalars.S(0.25));
    }

    static Tensor UsesATemporary(Tensor x) => x.div(255);

    static bool IsImplicitScalar(MethodBase m) => m.DeclaringType == ScalarClass && m.Name == "op_Implicit";

    /// <summary>TorchSharp methods that make a temporary Scalar, directly or through what they call.</summary>
    static HashSet<MethodBase> MethodsMakingTemporaryScalars()
    {
        var calls = MethodsOf(ScalarClass.Assembly).ToDictionary(m => m, m => Callees(m).ToList());
        var bad = calls.Where(kv => kv.Value.Any(IsImplicitScalar)).Select(kv => kv.Key).ToHashSet();
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (m, callees) in calls)
                if (!bad.Contains(m) && callees.Any(bad.Contains)) grew = bad.Add(m) || grew;
        }
        return bad;
    }

    static IEnumerable<MethodBase> MethodsOf(Assembly asm)
    {
        Type[] types;
        try { types = asm.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var t in types)
        {
            foreach (var m in t.GetMethods(all)) yield return m;
            foreach (var c in t.GetConstructors(all)) yield return c;
        }
    }

    /// <summary>The methods a method's IL calls (call, callvirt, newobj, ldftn), decoded opcode by opcode.</summary>
    static IEnumerable<MethodBase> Callees(MethodBase m)
    {
        byte[]? il;
        try { il = m.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { yield break; } // abstract, extern or unresolvable body
        if (il is null) yield break;
        var t = m.DeclaringType!;
        var typeArgs = t.IsGenericType ? t.GetGenericArguments() : null;
        var methodArgs = m.IsGenericMethod ? m.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try { callee = m.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (Exception) { } // a method of an assembly that is not loadable here
                if (callee is not null) yield return callee;
            }
            i += op.OperandType == OperandType.InlineSwitch ? 4 + 4 * BitConverter.ToInt32(il, i) : OperandSize(op.OperandType);
        }
    }

    static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static TemporaryScalarTests()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            if (op.Size == 1) OneByte[(byte)op.Value] = op; else TwoByte[(byte)(op.Value & 0xFF)] = op;
        }
    }

    static int OperandSize(OperandType t) => t switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4, // tokens, 32-bit branches and immediates, float32
    };
}
