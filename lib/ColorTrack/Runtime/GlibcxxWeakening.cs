// Why this exists: TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and so
// requires the symbol version GLIBCXX_3.4.32. Debian 12 / Ubuntu 22.04 ship GCC 12's libstdc++, whose
// newest version is GLIBCXX_3.4.30, so the dynamic loader refuses the library. Exactly one symbol needs
// 3.4.32: std::ios_base_library_init(), a reference that GCC 13's <iostream> emits to force initialisation
// order and that is never called. We mark that version requirement WEAK (VER_FLG_WEAK in its
// .gnu.version_r entry) in a *copy* of the library; glibc then accepts it when the version is missing.
// The NuGet cache is never touched.
//
// Safety: a version is weakened only if (a) the system libstdc++ lacks it and (b) every dynamic symbol
// that requires it is on the allow-list below. Anything else is left alone and reported.
// Idempotent: a flag bit that is already set stays set; a library that needs nothing is not rewritten.
//
// One source, two users: the library compiles it (TorchRuntime patches a copy at run time when ColorTrack
// is loaded from a NuGet package, e.g. by `#r "nuget: ColorTrack"`), and MSBuild compiles it as the
// inline task WeakenMissingGlibcxx (build/TorchSharpNatives.targets), which patches build and publish
// outputs. RoslynCodeTaskFactory defines no NET symbol, which is how the task wrapper at the end is kept
// out of the library.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace ColorTrack.Runtime
{
    /// <summary>Marks the GLIBCXX version needs of a native library weak where the system lacks them (see the file's header).</summary>
    public static class GlibcxxWeakening
    {
        static readonly HashSet<string> AllowedSymbols = new() { "_ZSt21ios_base_library_initv" };
        const ushort VER_FLG_WEAK = 0x2;
        const uint SHT_DYNSYM = 11, SHT_GNU_verneed = 0x6ffffffe, SHT_GNU_versym = 0x6fffffff;

        /// <summary>The GLIBCXX_* versions the system's libstdc++.so.6 defines, or null when there is none (not Linux).</summary>
        public static HashSet<string>? SystemGlibcxxVersions()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
            string[] candidates = {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" };
            var lib = candidates.FirstOrDefault(File.Exists);
            if (lib == null) return null;
            var text = Encoding.ASCII.GetString(File.ReadAllBytes(lib));
            var set = new HashSet<string>();
            int i = 0;
            while ((i = text.IndexOf("GLIBCXX_", i, StringComparison.Ordinal)) >= 0)
            {
                int end = text.IndexOf('\0', i);
                if (end < 0) break;
                set.Add(text.Substring(i, end - i));
                i = end;
            }
            return set;
        }

        /// <summary>
        /// Patch the ELF file at <paramref name="path"/> in place (by writing a new file and renaming it over
        /// the old one, so a hard-linked cache file is never modified). Returns one line per version marked
        /// weak; versions that are needed by other symbols are reported through <paramref name="warn"/>.
        /// </summary>
        public static List<string> Patch(string path, HashSet<string> system, Action<string>? warn = null)
        {
            var done = new List<string>();
            var b = File.ReadAllBytes(path);
            if (b.Length < 64 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F' || b[4] != 2 || b[5] != 1)
                return done; // only 64-bit little-endian ELF
            ulong shoff = U64(b, 0x28); int shentsize = U16(b, 0x3A), shnum = U16(b, 0x3C);
            (uint type, ulong off, ulong size, uint link, uint info) Sec(int k)
            {
                int o = (int)shoff + k * shentsize;
                return (U32(b, o + 4), U64(b, o + 24), U64(b, o + 32), U32(b, o + 40), U32(b, o + 44));
            }
            var secs = Enumerable.Range(0, shnum).Select(Sec).ToList();
            var verneed = secs.FirstOrDefault(s => s.type == SHT_GNU_verneed);
            var dynsym = secs.FirstOrDefault(s => s.type == SHT_DYNSYM);
            var versym = secs.FirstOrDefault(s => s.type == SHT_GNU_versym);
            if (verneed.type == 0 || dynsym.type == 0 || versym.type == 0) return done;
            int strtab = (int)secs[(int)verneed.link].off, dynstr = (int)secs[(int)dynsym.link].off;

            // Which version indices do the symbols use? index -> symbol names
            var users = new Dictionary<int, List<string>>();
            int nsym = (int)(dynsym.size / 24);
            for (int s = 0; s < nsym; s++)
            {
                int idx = U16(b, (int)versym.off + 2 * s) & 0x7fff;
                if (idx < 2) continue;
                if (!users.TryGetValue(idx, out var list)) users[idx] = list = new List<string>();
                list.Add(Str(b, dynstr + (int)U32(b, (int)dynsym.off + 24 * s)));
            }

            int vn = (int)verneed.off;
            for (uint n = 0; n < verneed.info; n++)
            {
                int aux = vn + (int)U32(b, vn + 8);
                int cnt = U16(b, vn + 2);
                for (int a = 0; a < cnt; a++)
                {
                    string name = Str(b, strtab + (int)U32(b, aux + 8));
                    ushort flags = (ushort)U16(b, aux + 4);
                    int index = U16(b, aux + 6) & 0x7fff;
                    if (name.StartsWith("GLIBCXX_", StringComparison.Ordinal) && !system.Contains(name) && (flags & VER_FLG_WEAK) == 0)
                    {
                        var syms = users.TryGetValue(index, out var l) ? l : new List<string>();
                        if (syms.All(AllowedSymbols.Contains))
                        {
                            flags |= VER_FLG_WEAK;
                            b[aux + 4] = (byte)flags; b[aux + 5] = (byte)(flags >> 8);
                            done.Add($"marked {name} weak in {Path.GetFileName(path)} (needed only by {string.Join(", ", syms)}; system libstdc++ lacks it)");
                        }
                        else
                            warn?.Invoke($"{path} needs {name} for {string.Join(", ", syms.Take(5))}, which this system's libstdc++ lacks; not patched (install a newer libstdc++6)");
                    }
                    aux += (int)U32(b, aux + 12);
                }
                vn += (int)U32(b, vn + 12);
            }
            if (done.Count == 0) return done;
            var tmp = path + ".patch-tmp";
            File.WriteAllBytes(tmp, b);
            File.Delete(path); // unlinks (a hard link stays intact elsewhere)
            File.Move(tmp, path);
            return done;
        }

        static int U16(byte[] b, int o) => b[o] | (b[o + 1] << 8);
        static uint U32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
        static ulong U64(byte[] b, int o) => BitConverter.ToUInt64(b, o);
        static string Str(byte[] b, int o) { int e = o; while (b[e] != 0) e++; return Encoding.ASCII.GetString(b, o, e - o); }
    }
}

#if !NET
/// <summary>The MSBuild task (build/TorchSharpNatives.targets): patch each library of the build or publish output.</summary>
public class WeakenMissingGlibcxx : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    public override bool Execute()
    {
        var system = ColorTrack.Runtime.GlibcxxWeakening.SystemGlibcxxVersions();
        if (system == null) { Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "libstdc++.so.6 not found; nothing patched"); return true; }
        foreach (var item in Libraries)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path)) continue;
            try
            {
                foreach (var line in ColorTrack.Runtime.GlibcxxWeakening.Patch(path, system, w => Log.LogWarning(w)))
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "ColorTrack: " + line);
            }
            catch (Exception e) { Log.LogWarning($"{path}: could not inspect ELF version needs: {e.Message}"); }
        }
        return true;
    }
}
#endif
