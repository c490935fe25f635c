#!/usr/bin/env python3
"""Reference runs of k-diffusion's samplers and AUTOMATIC1111 1.10's schedules, as a JSON fixture for the engine's tests.

Needs python3-torch (Debian's package is enough):

    python3 tools/reference-fixtures/k_samplers.py > Tests/GpuWorker.Tests/Diffusion/Schedulers/Fixtures/k_samplers.json

The sampler functions below follow k_diffusion/sampling.py (crowsonkb/k-diffusion) line for line, in float32 tensors;
the schedules follow A1111's modules/sd_schedulers.py over k-diffusion's DiscreteSchedule of Stable Diffusion 1.x's
training sigmas (LDM's beta schedule in float64, stored as float32). The denoiser is a fixed toy function of x and
sigma; the fresh noise is a fixed list of torch.randn draws, taken in call order by randn_like and the noise sampler
(as A1111 routes both to its step generators). Every model call's input x and sigma and the final x are recorded.
"""
import json
import math

import torch

# 1. The model's schedule (k-diffusion DiscreteSchedule over A1111's CompVisDenoiser)
betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
alphas_cumprod = torch.cumprod(1.0 - betas, dim=0).to(torch.float32)
model_sigmas = ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5
log_sigmas = model_sigmas.log()


def sigma_to_t(sigma):
    log_sigma = sigma.log()
    dists = log_sigma - log_sigmas[:, None]
    low_idx = dists.ge(0).cumsum(dim=0).argmax(dim=0).clamp(max=log_sigmas.shape[0] - 2)
    high_idx = low_idx + 1
    low, high = log_sigmas[low_idx], log_sigmas[high_idx]
    w = ((low - log_sigma) / (low - high)).clamp(0, 1)
    return ((1 - w) * low_idx + w * high_idx).view(sigma.shape)


def t_to_sigma(t):
    t = t.float()
    low_idx, high_idx, w = t.floor().long(), t.ceil().long(), t.frac()
    return ((1 - w) * log_sigmas[low_idx] + w * log_sigmas[high_idx]).exp()


def append_zero(x):
    return torch.cat([x, x.new_zeros([1])])


# 2. A1111's schedules
sigma_min, sigma_max = model_sigmas[0].item(), model_sigmas[-1].item()


def uniform(n):
    return append_zero(t_to_sigma(torch.linspace(len(model_sigmas) - 1, 0, n)))


def karras(n, rho=7.0):
    ramp = torch.linspace(0, 1, n)
    min_inv_rho, max_inv_rho = sigma_min ** (1 / rho), sigma_max ** (1 / rho)
    return append_zero((max_inv_rho + ramp * (min_inv_rho - max_inv_rho)) ** rho)


def exponential(n):
    return append_zero(torch.linspace(math.log(sigma_max), math.log(sigma_min), n).exp())


def polyexponential(n, rho=1.0):
    ramp = torch.linspace(1, 0, n) ** rho
    return append_zero(torch.exp(ramp * (math.log(sigma_max) - math.log(sigma_min)) + math.log(sigma_min)))


def sgm_uniform(n):
    start, end = sigma_to_t(torch.tensor(sigma_max)), sigma_to_t(torch.tensor(sigma_min))
    return torch.FloatTensor([t_to_sigma(ts) for ts in torch.linspace(start, end, n + 1)[:-1]] + [0.0])


def kl_optimal(n):
    alpha_min, alpha_max = torch.arctan(torch.tensor(sigma_min)), torch.arctan(torch.tensor(sigma_max))
    idx = torch.arange(n + 1)
    return torch.tan(idx / n * alpha_min + (1.0 - idx / n) * alpha_max)


def simple(n):
    ss = len(model_sigmas) / n
    return torch.FloatTensor([float(model_sigmas[-(1 + int(x * ss))]) for x in range(n)] + [0.0])


def normal(n):
    start, end = sigma_to_t(torch.tensor(sigma_max)), sigma_to_t(torch.tensor(sigma_min))
    return torch.FloatTensor([t_to_sigma(ts) for ts in torch.linspace(start, end, n)] + [0.0])


def ddim(n):
    sigs, ss, x = [], max(len(model_sigmas) // n, 1), 1
    while x < len(model_sigmas):
        sigs.append(float(model_sigmas[x]))
        x += ss
    return torch.FloatTensor(sigs[::-1] + [0.0])


SCHEDULES = {"Uniform": uniform, "Karras": karras, "Exponential": exponential, "Polyexponential": polyexponential,
             "SGM Uniform": sgm_uniform, "KL Optimal": kl_optimal, "Simple": simple, "Normal": normal, "DDIM": ddim}


# 3. k-diffusion's samplers (A1111's to_d: (x - denoised) / sigma)
def to_d(x, sigma, denoised):
    return (x - denoised) / sigma


def get_ancestral_step(sigma_from, sigma_to, eta=1.):
    if not eta:
        return sigma_to, 0.
    sigma_up = min(sigma_to, eta * (sigma_to ** 2 * (sigma_from ** 2 - sigma_to ** 2) / sigma_from ** 2) ** 0.5)
    sigma_down = (sigma_to ** 2 - sigma_up ** 2) ** 0.5
    return sigma_down, sigma_up


def sample_euler(model, x, sigmas, randn, s_churn=0., s_tmin=0., s_tmax=float('inf'), s_noise=1.):
    for i in range(len(sigmas) - 1):
        gamma = min(s_churn / (len(sigmas) - 1), 2 ** 0.5 - 1) if s_tmin <= sigmas[i] <= s_tmax else 0.
        eps = randn(x, s_churn) * s_noise
        sigma_hat = sigmas[i] * (gamma + 1)
        if gamma > 0:
            x = x + eps * (sigma_hat ** 2 - sigmas[i] ** 2) ** 0.5
        denoised = model(x, sigma_hat)
        d = to_d(x, sigma_hat, denoised)
        x = x + d * (sigmas[i + 1] - sigma_hat)
    return x


def sample_euler_ancestral(model, x, sigmas, randn, eta=1., s_noise=1.):
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        sigma_down, sigma_up = get_ancestral_step(sigmas[i], sigmas[i + 1], eta=eta)
        d = to_d(x, sigmas[i], denoised)
        x = x + d * (sigma_down - sigmas[i])
        if sigmas[i + 1] > 0:
            x = x + randn(x) * s_noise * sigma_up
    return x


def sample_heun(model, x, sigmas, randn, s_churn=0., s_tmin=0., s_tmax=float('inf'), s_noise=1.):
    for i in range(len(sigmas) - 1):
        gamma = min(s_churn / (len(sigmas) - 1), 2 ** 0.5 - 1) if s_tmin <= sigmas[i] <= s_tmax else 0.
        eps = randn(x, s_churn) * s_noise
        sigma_hat = sigmas[i] * (gamma + 1)
        if gamma > 0:
            x = x + eps * (sigma_hat ** 2 - sigmas[i] ** 2) ** 0.5
        denoised = model(x, sigma_hat)
        d = to_d(x, sigma_hat, denoised)
        dt = sigmas[i + 1] - sigma_hat
        if sigmas[i + 1] == 0:
            x = x + d * dt
        else:
            x_2 = x + d * dt
            denoised_2 = model(x_2, sigmas[i + 1])
            d_2 = to_d(x_2, sigmas[i + 1], denoised_2)
            x = x + (d + d_2) / 2 * dt
    return x


def sample_dpm_2(model, x, sigmas, randn, s_churn=0., s_tmin=0., s_tmax=float('inf'), s_noise=1.):
    for i in range(len(sigmas) - 1):
        gamma = min(s_churn / (len(sigmas) - 1), 2 ** 0.5 - 1) if s_tmin <= sigmas[i] <= s_tmax else 0.
        eps = randn(x, s_churn) * s_noise
        sigma_hat = sigmas[i] * (gamma + 1)
        if gamma > 0:
            x = x + eps * (sigma_hat ** 2 - sigmas[i] ** 2) ** 0.5
        denoised = model(x, sigma_hat)
        d = to_d(x, sigma_hat, denoised)
        if sigmas[i + 1] == 0:
            x = x + d * (sigmas[i + 1] - sigma_hat)
        else:
            sigma_mid = sigma_hat.log().lerp(sigmas[i + 1].log(), 0.5).exp()
            x_2 = x + d * (sigma_mid - sigma_hat)
            denoised_2 = model(x_2, sigma_mid)
            d_2 = to_d(x_2, sigma_mid, denoised_2)
            x = x + d_2 * (sigmas[i + 1] - sigma_hat)
    return x


def sample_dpm_2_ancestral(model, x, sigmas, randn, eta=1., s_noise=1.):
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        sigma_down, sigma_up = get_ancestral_step(sigmas[i], sigmas[i + 1], eta=eta)
        d = to_d(x, sigmas[i], denoised)
        if sigma_down == 0:
            x = x + d * (sigma_down - sigmas[i])
        else:
            sigma_mid = sigmas[i].log().lerp(sigma_down.log(), 0.5).exp()
            x_2 = x + d * (sigma_mid - sigmas[i])
            denoised_2 = model(x_2, sigma_mid)
            d_2 = to_d(x_2, sigma_mid, denoised_2)
            x = x + d_2 * (sigma_down - sigmas[i])
            x = x + randn(x) * s_noise * sigma_up
    return x


sigma_fn = lambda t: t.neg().exp()
t_fn = lambda sigma: sigma.log().neg()


def sample_dpmpp_2s_ancestral(model, x, sigmas, randn, eta=1., s_noise=1.):
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        sigma_down, sigma_up = get_ancestral_step(sigmas[i], sigmas[i + 1], eta=eta)
        if sigma_down == 0:
            x = x + to_d(x, sigmas[i], denoised) * (sigma_down - sigmas[i])
        else:
            t, t_next = t_fn(sigmas[i]), t_fn(sigma_down)
            r = 1 / 2
            h = t_next - t
            s = t + r * h
            x_2 = (sigma_fn(s) / sigma_fn(t)) * x - (-h * r).expm1() * denoised
            denoised_2 = model(x_2, sigma_fn(s))
            x = (sigma_fn(t_next) / sigma_fn(t)) * x - (-h).expm1() * denoised_2
        if sigmas[i + 1] > 0:
            x = x + randn(x) * s_noise * sigma_up
    return x


def sample_dpmpp_sde(model, x, sigmas, randn, eta=1., s_noise=1., r=1 / 2):
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        if sigmas[i + 1] == 0:
            x = x + to_d(x, sigmas[i], denoised) * (sigmas[i + 1] - sigmas[i])
        else:
            t, t_next = t_fn(sigmas[i]), t_fn(sigmas[i + 1])
            h = t_next - t
            s = t + h * r
            fac = 1 / (2 * r)
            sd, su = get_ancestral_step(sigma_fn(t), sigma_fn(s), eta)
            s_ = t_fn(sd)
            x_2 = (sigma_fn(s_) / sigma_fn(t)) * x - (t - s_).expm1() * denoised
            x_2 = x_2 + randn(x) * s_noise * su
            denoised_2 = model(x_2, sigma_fn(s))
            sd, su = get_ancestral_step(sigma_fn(t), sigma_fn(t_next), eta)
            t_next_ = t_fn(sd)
            denoised_d = (1 - fac) * denoised + fac * denoised_2
            x = (sigma_fn(t_next_) / sigma_fn(t)) * x - (t - t_next_).expm1() * denoised_d
            x = x + randn(x) * s_noise * su
    return x


def sample_dpmpp_2m(model, x, sigmas, randn):
    old_denoised = None
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        t, t_next = t_fn(sigmas[i]), t_fn(sigmas[i + 1])
        h = t_next - t
        if old_denoised is None or sigmas[i + 1] == 0:
            x = (sigma_fn(t_next) / sigma_fn(t)) * x - (-h).expm1() * denoised
        else:
            h_last = t - t_fn(sigmas[i - 1])
            r = h_last / h
            denoised_d = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * old_denoised
            x = (sigma_fn(t_next) / sigma_fn(t)) * x - (-h).expm1() * denoised_d
        old_denoised = denoised
    return x


def sample_dpmpp_2m_sde(model, x, sigmas, randn, eta=1., s_noise=1., solver_type='midpoint'):
    old_denoised, h_last, h = None, None, None
    for i in range(len(sigmas) - 1):
        denoised = model(x, sigmas[i])
        if sigmas[i + 1] == 0:
            x = denoised
        else:
            t, s = -sigmas[i].log(), -sigmas[i + 1].log()
            h = s - t
            eta_h = eta * h
            x = sigmas[i + 1] / sigmas[i] * (-eta_h).exp() * x + (-h - eta_h).expm1().neg() * denoised
            if old_denoised is not None:
                r = h_last / h
                if solver_type == 'heun':
                    x = x + ((-h - eta_h).expm1().neg() / (-h - eta_h) + 1) * (1 / r) * (denoised - old_denoised)
                else:
                    x = x + 0.5 * (-h - eta_h).expm1().neg() * (1 / r) * (denoised - old_denoised)
            if eta:
                x = x + randn(x) * sigmas[i + 1] * (-2 * eta_h).expm1().neg().sqrt() * s_noise
        old_denoised = denoised
        h_last = h
    return x


# 4. Fixed inputs: a toy denoiser, fixed noise, a fixed start
SHAPE = (1, 2, 4, 4)
torch.manual_seed(42)
data = torch.randn(SHAPE)
start = torch.randn(SHAPE)
torch.manual_seed(1234)
noise_pool = [torch.randn(SHAPE) for _ in range(64)]


def toy_denoiser(x, sigma):
    """D(x, sigma) = x * 0.3 sigma / (sigma^2 + 1) + data / (1 + 0.1 sigma), in float32."""
    return x * (0.3 * sigma / (sigma ** 2 + 1)) + data / (1 + 0.1 * sigma)


def run(sampler, sigmas, **settings):
    calls, used = [], []

    def model(x, sigma):
        calls.append({"sigma": float(sigma), "x": x.flatten().tolist()})
        return toy_denoiser(x, sigma)

    def randn(x, churn=1.0):
        # A1111's randn_like: always drawn by the churn samplers while s_churn is set (and never when it is 0 here)
        if not churn:
            return torch.zeros_like(x)
        noise = noise_pool[len(used)]
        used.append(noise.flatten().tolist())
        return noise

    final = sampler(model, start * sigmas[0], sigmas, randn, **settings)
    return {"calls": calls, "noise": used, "final": final.flatten().tolist()}


STEPS = 6
karras6 = karras(STEPS)
CASES = [
    ("Euler", sample_euler, {}, {}),
    ("Euler", sample_euler, {"s_churn": 1.5, "s_tmin": 0.5, "s_tmax": 10.0, "s_noise": 0.9}, {}),
    ("Euler a", sample_euler_ancestral, {}, {}),
    ("Euler a", sample_euler_ancestral, {"eta": 0.6}, {}),
    ("Heun", sample_heun, {}, {}),
    ("Heun", sample_heun, {"s_churn": 2.0, "s_tmin": 0.2, "s_noise": 1.003}, {}),
    ("DPM2", sample_dpm_2, {}, {}),
    ("DPM2", sample_dpm_2, {"s_churn": 1.0}, {}),
    ("DPM2 a", sample_dpm_2_ancestral, {}, {}),
    ("DPM2 a", sample_dpm_2_ancestral, {"eta": 0.5, "s_noise": 0.95}, {}),
    ("DPM++ 2S a", sample_dpmpp_2s_ancestral, {}, {}),
    ("DPM++ 2S a", sample_dpmpp_2s_ancestral, {"eta": 0.7, "s_noise": 0.9}, {}),
    ("DPM++ 2M", sample_dpmpp_2m, {}, {}),
    ("DPM++ SDE", sample_dpmpp_sde, {}, {}),
    ("DPM++ SDE", sample_dpmpp_sde, {"eta": 0.5}, {}),
    ("DPM++ 2M SDE", sample_dpmpp_2m_sde, {}, {}),
    ("DPM++ 2M SDE", sample_dpmpp_2m_sde, {"eta": 0.0}, {}),
    ("DPM++ 2M SDE Heun", sample_dpmpp_2m_sde, {"s_noise": 0.8}, {"solver_type": "heun"}),
]

samplers = []
for name, fn, settings, fixed in CASES:
    result = run(fn, karras6, **settings, **fixed)
    samplers.append({"sampler": name, "settings": settings, **result})

schedules = []
for label, fn in SCHEDULES.items():
    for n in (6, 10, 25):
        schedules.append({"schedule": label, "steps": n, "sigmas": [float(v) for v in fn(n)]})

# DPM2's discard_next_to_last_sigma: one step more, the next-to-last dropped
discard = karras(STEPS + 1)
discard = torch.cat([discard[:-2], discard[-1:]])

json.dump({
    "about": "k-diffusion samplers and A1111 1.10 schedules on fixed inputs; tools/reference-fixtures/k_samplers.py",
    "torch": torch.__version__,
    "shape": list(SHAPE),
    "data": data.flatten().tolist(),
    "start": start.flatten().tolist(),
    "sigmas": [float(v) for v in karras6],
    "sigmas_to_t": [float(sigma_to_t(v)) for v in karras6[:-1]],
    "karras_discarded": [float(v) for v in discard],
    "samplers": samplers,
    "schedules": schedules,
}, __import__("sys").stdout, separators=(",", ":"))
