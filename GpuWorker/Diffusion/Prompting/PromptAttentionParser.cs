using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// Reads emphasis as AUTOMATIC1111's <c>parse_prompt_attention</c> does (<c>modules/prompt_parser.py</c>):
/// <list type="bullet">
/// <item><c>(a)</c> multiplies by 1.1, <c>[a]</c> divides by 1.1, <c>(a:1.3)</c> multiplies by 1.3; brackets nest and multiply.</item>
/// <item><c>\(</c> <c>\)</c> <c>\[</c> <c>\]</c> <c>\\</c> are the literal characters; a backslash before anything else is dropped.</item>
/// <item>A weight is <c>:</c>, an optional sign, digits and dots, then <c>)</c>; anything else after a colon (<c>:1e1)</c>) is text
/// and the bracket closes with 1.1. A closing bracket with nothing open is text.</item>
/// <item>Brackets left open at the end apply their 1.1 (round first, then square) from where they opened.</item>
/// <item><c>BREAK</c> as a whole word (with the whitespace around it) starts a new chunk.</item>
/// <item>Adjacent fragments with exactly equal weights are merged; an empty prompt is one empty fragment.</item>
/// </list>
/// Weights are doubles multiplied in the same order as A1111 multiplies them, so they agree to the last bit.
/// </summary>
public static partial class PromptAttentionParser
{
    public const double RoundBracketMultiplier = 1.1;
    public const double SquareBracketMultiplier = 1 / 1.1;

    /// <exception cref="FormatException">A weight such as <c>(a:1.2.3)</c> or <c>(a:.)</c> is no number (A1111 fails on it too).</exception>
    public static IReadOnlyList<PromptFragment> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<(string Text, double Weight)>();
        var round = new List<int>();
        var square = new List<int>();
        var position = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\\')
            {
                // An escaped bracket or backslash is that character; a lone backslash is dropped.
                var escaped = position + 1 < text.Length && text[position + 1] is '(' or ')' or '[' or ']' or '\\';
                result.Add((escaped ? text[position + 1].ToString() : "", 1.0));
                position += escaped ? 2 : 1;
            }
            else if (c == '(')
            {
                round.Add(result.Count);
                position++;
            }
            else if (c == '[')
            {
                square.Add(result.Count);
                position++;
            }
            else if (c == ':' && WeightAt(text, position) is { } weight)
            {
                if (round.Count > 0)
                {
                    Multiply(result, Pop(round), ParseWeight(weight.Number));
                }
                else
                {
                    AddText(result, text.Substring(position, weight.Length));
                }

                position += weight.Length;
            }
            else if (c == ')' && round.Count > 0)
            {
                Multiply(result, Pop(round), RoundBracketMultiplier);
                position++;
            }
            else if (c == ']' && square.Count > 0)
            {
                Multiply(result, Pop(square), SquareBracketMultiplier);
                position++;
            }
            else if (c is ':' or ')' or ']')
            {
                AddText(result, c.ToString());
                position++;
            }
            else
            {
                var end = position;
                while (end < text.Length && text[end] is not ('\\' or '(' or ')' or '[' or ']' or ':'))
                {
                    end++;
                }

                AddText(result, text[position..end]);
                position = end;
            }
        }

        foreach (var start in round)
        {
            Multiply(result, start, RoundBracketMultiplier);
        }

        foreach (var start in square)
        {
            Multiply(result, start, SquareBracketMultiplier);
        }

        if (result.Count == 0)
        {
            result.Add(("", 1.0));
        }

        var merged = new List<PromptFragment>(result.Count);
        foreach (var (fragment, weight) in result)
        {
            if (merged.Count > 0 && merged[^1].Weight == weight)
            {
                merged[^1] = merged[^1] with { Text = merged[^1].Text + fragment };
            }
            else
            {
                merged.Add(new PromptFragment(fragment, weight));
            }
        }

        return merged;
    }

    /// <summary>Text outside any syntax, split at each <c>BREAK</c> (every part is kept, even an empty one).</summary>
    private static void AddText(List<(string Text, double Weight)> result, string text)
    {
        var parts = BreakKeyword().Split(text);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                result.Add((PromptFragment.BreakText, -1));
            }

            result.Add((parts[i], 1.0));
        }
    }

    private static void Multiply(List<(string Text, double Weight)> result, int start, double multiplier)
    {
        for (var i = start; i < result.Count; i++)
        {
            result[i] = (result[i].Text, result[i].Weight * multiplier);
        }
    }

    private static int Pop(List<int> stack)
    {
        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    /// <summary><c>:</c>, an optional sign, one or more digits or dots, then <c>)</c>; null when the text there is not that.</summary>
    private static (string Number, int Length)? WeightAt(string text, int colon)
    {
        var end = colon + 1;
        if (end < text.Length && text[end] is '+' or '-')
        {
            end++;
        }

        var digits = end;
        while (end < text.Length && (text[end] == '.' || char.IsDigit(text[end])))
        {
            end++;
        }

        return end > digits && end < text.Length && text[end] == ')'
            ? (text[(colon + 1)..end], end + 1 - colon)
            : null;
    }

    /// <summary>As Python's <c>float()</c> reads sign, digits (any script's decimal digits) and one dot.</summary>
    private static double ParseWeight(string number)
    {
        var ascii = new StringBuilder(number.Length);
        foreach (var c in number)
        {
            ascii.Append(char.IsDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : c);
        }

        return double.TryParse(ascii.ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{number}' is not a number");
    }

    [GeneratedRegex(@"\s*\bBREAK\b\s*", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex BreakKeyword();
}
