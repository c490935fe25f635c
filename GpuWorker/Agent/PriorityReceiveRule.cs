using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Which of the runtime's priority queues a worker tries first (docs/decisions/0336): a fixed cycle of ten turns,
/// <see cref="Cycle"/>, six led by high, three by normal, one by low. A turn tries its own priority first, then the others
/// from high to low, and the cycle moves on with every task taken. With all three queues full a worker takes 6 high,
/// 3 normal and 1 low task in every 10, so low waits at most 9 tasks behind the others, never indefinitely; a queue that
/// is empty gives its turns to the next in line, so high and normal take everything while low has nothing.
/// Thread-safe: the receive loops of one worker share one cycle.
/// </summary>
public sealed class PriorityReceiveRule
{
    /// <summary>The turns in order, interleaved so no priority leads twice in a row more than the weights need.</summary>
    public static readonly IReadOnlyList<string> Cycle =
    [
        TaskPriorities.High, TaskPriorities.Normal, TaskPriorities.High, TaskPriorities.High, TaskPriorities.Normal,
        TaskPriorities.High, TaskPriorities.Low, TaskPriorities.High, TaskPriorities.Normal, TaskPriorities.High,
    ];

    private readonly Lock _gate = new();
    private int _turn;

    /// <summary>The priorities to try for the next task, first choice first.</summary>
    public IReadOnlyList<string> Order()
    {
        string lead;
        lock (_gate)
        {
            lead = Cycle[_turn];
        }
        return [lead, .. TaskPriorities.All.Where(priority => priority != lead)];
    }

    /// <summary>A task was taken (from whichever queue): the next turn leads.</summary>
    public void Took()
    {
        lock (_gate)
        {
            _turn = (_turn + 1) % Cycle.Count;
        }
    }
}
