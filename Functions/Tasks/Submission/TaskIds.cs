using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// Task ids: those we mint are UUIDv7 as 32 lowercase hex digits, URL-safe and sorting by creation time (millisecond
/// resolution); a <c>/v1alpha2</c> caller's chosen id is scoped to its owner (docs/decisions/0342-task-ids-per-owner.md).
/// </summary>
public static class TaskIds
{
    /// <summary>The longest id a <c>/v1alpha2</c> caller may choose, so that its scoped id fits the 64 of the id rule.</summary>
    public const int MaxChosenLength = 64 - 1 - OwnerTagLength;

    private const int OwnerTagLength = 12;

    public static string New(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    /// <summary>
    /// <c>{chosen}-{owner tag}</c>: the same for the same owner and chosen id (so a repeated request finds its task),
    /// different for another owner, so one caller's id never collides with, or reveals, another's.
    /// </summary>
    public static string OwnedBy(string owner, string chosen) => $"{chosen}-{OwnerTag(owner)}";

    private static string OwnerTag(string owner) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"task-id-scope\n{owner}")))[..OwnerTagLength];
}
