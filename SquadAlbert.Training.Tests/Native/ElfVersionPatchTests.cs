using System.Diagnostics;
using System.Security.Cryptography;

namespace SquadAlbert.Training.Tests.Native;

public sealed class ElfVersionPatchTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("elf-patch-test");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void Patch_changes_two_fields_then_is_idempotent_and_leaves_the_package_untouched()
    {
        var originalHash = Hash(BuildFacts.UnpatchedLibTorchSharp);
        var copy = Copy(BuildFacts.UnpatchedLibTorchSharp);

        var first = RunPatch(copy, "--force");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("made weak, 1 symbol version(s) cleared", first.Output, StringComparison.Ordinal);
        var original = File.ReadAllBytes(BuildFacts.UnpatchedLibTorchSharp);
        var patched = File.ReadAllBytes(copy);
        Assert.Equal(original.Length, patched.Length);
        // The Vernaux flags (0 → VER_FLG_WEAK) and the symbol's .gnu.version entry (low byte → 1) differ; nothing else.
        Assert.Equal(2, original.Zip(patched).Count(pair => pair.First != pair.Second));

        var second = RunPatch(copy, "--force");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("already weak; unchanged", second.Output, StringComparison.Ordinal);
        Assert.Equal(patched, File.ReadAllBytes(copy));
        Assert.Equal(originalHash, Hash(BuildFacts.UnpatchedLibTorchSharp));
    }

    [Fact]
    public void Build_output_holds_the_patched_library_on_this_system()
    {
        var copy = Copy(BuildFacts.UnpatchedLibTorchSharp);
        var probe = RunPatch(copy);
        var output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        if (probe.Output.Contains("left unchanged", StringComparison.Ordinal))
        {
            // The system libstdc++ defines GLIBCXX_3.4.32: the build must not have touched the library.
            Assert.Equal(File.ReadAllBytes(BuildFacts.UnpatchedLibTorchSharp), File.ReadAllBytes(output));
        }
        else
        {
            Assert.Equal(File.ReadAllBytes(copy), File.ReadAllBytes(output));
        }
    }

    [Fact]
    public void Library_without_the_version_need_is_left_unchanged()
    {
        var copy = Copy(FindSystemLibrary("libz.so.1"));
        var before = File.ReadAllBytes(copy);
        var result = RunPatch(copy, "--force");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("needs no GLIBCXX_3.4.32; unchanged", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void Refuses_when_another_symbol_uses_the_version()
    {
        var copy = Copy(BuildFacts.UnpatchedLibTorchSharp);
        var before = File.ReadAllBytes(copy);
        var result = RunPatch(copy, "--force", "--symbol", "some_other_symbol");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("_ZSt21ios_base_library_initv", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    private string Copy(string path)
    {
        var target = Path.Combine(_scratch.FullName, Path.GetFileName(path));
        File.Copy(path, target, overwrite: true);
        return target;
    }

    private static readonly string[] SystemLibraryFolders = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64"];

    private static string FindSystemLibrary(string name) =>
        SystemLibraryFolders
            .Select(dir => Path.Combine(dir, name)).First(File.Exists);

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static (int ExitCode, string Output) RunPatch(string library, params string[] extra)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(BuildFacts.PatchScript);
        start.ArgumentList.Add(library);
        foreach (var argument in extra)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
