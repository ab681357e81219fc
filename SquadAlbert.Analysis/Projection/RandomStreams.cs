using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Projection;

/// <summary>Seeded randomness for the projections, fixed by this code so a seed means the same on every runtime.</summary>
internal static class RandomStreams
{
    /// <summary>An independent stream per (seed, purpose, index), so parallel work stays reproducible.</summary>
    public static SplitMix64 Stream(int seed, ulong purpose, long index = 0) => new(Hash((ulong)seed, purpose, (ulong)index));

    /// <summary>
    /// SplitMix64's step on a bare state word, for inner loops that keep the state in a register; the outputs from a
    /// state equal to <c>Hash(a, b, c)</c> are those of <c>Stream</c> with the same arguments.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ref ulong state) => Finalise(state += 0x9E3779B97F4A7C15UL);

    /// <summary>A stateless 64-bit hash of three words (SplitMix64's finaliser applied in turn).</summary>
    public static ulong Hash(ulong a, ulong b, ulong c)
    {
        var h = Finalise(a + 0x9E3779B97F4A7C15UL);
        h = Finalise(h ^ (b + 0x632BE59BD9B4E019UL));
        return Finalise(h ^ (c + 0x85157AF5UL));
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every value exactly representable as a float).</summary>
    public static float UnitFloat(ulong bits) => (bits >> 40) * (1f / (1 << 24));

    public static float NextFloat(this SplitMix64 random) => UnitFloat(random.Next());

    /// <summary>Standard normal by Box–Muller (the cosine branch only: simplicity over speed).</summary>
    public static double NextGaussian(this SplitMix64 random)
    {
        var u1 = ((random.Next() >> 11) + 1.0) / (1UL << 53);
        var u2 = (random.Next() >> 11) / (double)(1UL << 53);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
