using System.Globalization;

namespace SdServerless.GpuWorker.Cli;

/// <summary><c>--name value</c> options after a verb; an unknown or repeated option is an error naming it.</summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public CliArguments(IEnumerable<string> args, IReadOnlyCollection<string> known)
    {
        using var enumerator = args.GetEnumerator();
        while (enumerator.MoveNext())
        {
            var name = enumerator.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !known.Contains(name[2..]))
            {
                throw new ArgumentException($"Unknown option '{name}'; known: {string.Join(", ", known.Select(k => "--" + k))}");
            }

            if (!enumerator.MoveNext())
            {
                throw new ArgumentException($"Option '{name}' needs a value");
            }

            if (!values.TryAdd(name[2..], enumerator.Current))
            {
                throw new ArgumentException($"Option '{name}' is given twice");
            }
        }
    }

    public string? Text(string name) => values.GetValueOrDefault(name);

    public string Required(string name) => Text(name) ?? throw new ArgumentException($"Option '--{name}' is required");

    public int Integer(string name, int defaultValue) => Parse(name, defaultValue, int.Parse);

    public long Long(string name, long defaultValue) => Parse(name, defaultValue, long.Parse);

    public float Float(string name, float defaultValue) => Parse(name, defaultValue, float.Parse);

    public double Double(string name, double defaultValue) => Parse(name, defaultValue, double.Parse);

    private T Parse<T>(string name, T defaultValue, Func<string, IFormatProvider, T> parse)
    {
        if (Text(name) is not { } text)
        {
            return defaultValue;
        }

        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"Option '--{name}' has an invalid value '{text}'");
        }
    }
}
