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


# 4. A1111's LCM (modules/sd_samplers_lcm.py): a denoiser over 50 of the 1000 training steps, with LCM's boundary
# scalings, and sample_lcm (denoise, then noise to the next sigma)
LCM_SKIP = 1000 // 50
lcm_alphas = torch.zeros(50, dtype=torch.float32)
for k in range(50):
    lcm_alphas[49 - k] = alphas_cumprod[999 - k * LCM_SKIP]
lcm_sigmas = ((1 - lcm_alphas) / lcm_alphas) ** 0.5
lcm_log_sigmas = lcm_sigmas.log()


def lcm_sigma_to_t(sigma):
    dists = sigma.log() - lcm_log_sigmas[:, None]
    return dists.abs().argmin(dim=0).view(sigma.shape) * LCM_SKIP + (LCM_SKIP - 1)


def lcm_t_to_sigma(timestep):
    t = torch.clamp(((timestep - (LCM_SKIP - 1)) / LCM_SKIP).float(), min=0, max=len(lcm_sigmas) - 1)
    low_idx, high_idx, w = t.floor().long(), t.ceil().long(), t.frac()
    return ((1 - w) * lcm_log_sigmas[low_idx] + w * lcm_log_sigmas[high_idx]).exp()


def lcm_get_sigmas(n):
    start, end = lcm_sigma_to_t(lcm_sigmas[-1]), lcm_sigma_to_t(lcm_sigmas[0])
    return append_zero(lcm_t_to_sigma(torch.linspace(start, end, n)))


def lcm_denoiser(eps_model):
    """LCMCompVisDenoiser.forward: eps at the quantized timestep, D = c_out * (x - sigma eps) + c_skip * x."""
    def forward(x, sigma):
        eps = eps_model(x * (1 / (sigma ** 2 + 1) ** 0.5), sigma)
        scaled_timestep = lcm_sigma_to_t(sigma) * 10.0
        c_skip = 0.5 ** 2 / (scaled_timestep ** 2 + 0.5 ** 2)
        c_out = scaled_timestep / (scaled_timestep ** 2 + 0.5 ** 2) ** 0.5
        return c_out * (x + eps * -sigma) + c_skip * x
    return forward


def sample_lcm(model, x, sigmas, randn):
    for i in range(len(sigmas) - 1):
        x = model(x, sigmas[i])
        if sigmas[i + 1] > 0:
            x = x + sigmas[i + 1] * randn(x)
    return x


# 5. A1111's UniPC (modules/models/diffusion/uni_pc, run by sd_samplers_timesteps_impl.unipc): NoiseScheduleVP
# 'discrete' over the model's float32 alphas_cumprod, data prediction (predict_x0), variant bh1, multistep, order 3,
# lower_order_final, time_uniform steps, no denoise_to_zero; the UNet gets t_input = (t - 1/N) * 1000 and answers eps.
vp_t_array = torch.linspace(0., 1., 1000 + 1)[1:].reshape((1, -1))
vp_log_alpha_array = (0.5 * torch.log(alphas_cumprod)).reshape((1, -1))


def interpolate_fn(x, xp, yp):
    n, k = x.shape[0], xp.shape[1]
    all_x = torch.cat([x.unsqueeze(2), xp.unsqueeze(0).repeat((n, 1, 1))], dim=2)
    sorted_all_x, x_indices = torch.sort(all_x, dim=2)
    x_idx = torch.argmin(x_indices, dim=2)
    cand_start_idx = x_idx - 1
    start_idx = torch.where(torch.eq(x_idx, 0), torch.tensor(1),
                            torch.where(torch.eq(x_idx, k), torch.tensor(k - 2), cand_start_idx))
    end_idx = torch.where(torch.eq(start_idx, cand_start_idx), start_idx + 2, start_idx + 1)
    start_x = torch.gather(sorted_all_x, dim=2, index=start_idx.unsqueeze(2)).squeeze(2)
    end_x = torch.gather(sorted_all_x, dim=2, index=end_idx.unsqueeze(2)).squeeze(2)
    start_idx2 = torch.where(torch.eq(x_idx, 0), torch.tensor(0),
                             torch.where(torch.eq(x_idx, k), torch.tensor(k - 2), cand_start_idx))
    y_positions_expanded = yp.unsqueeze(0).expand(n, -1, -1)
    start_y = torch.gather(y_positions_expanded, dim=2, index=start_idx2.unsqueeze(2)).squeeze(2)
    end_y = torch.gather(y_positions_expanded, dim=2, index=(start_idx2 + 1).unsqueeze(2)).squeeze(2)
    return start_y + (x - start_x) * (end_y - start_y) / (end_x - start_x)


def vp_log_alpha(t):
    return interpolate_fn(t.reshape((-1, 1)), vp_t_array, vp_log_alpha_array).reshape((-1))


def vp_std(t):
    return torch.sqrt(1. - torch.exp(2. * vp_log_alpha(t)))


def vp_lambda(t):
    log_mean_coeff = vp_log_alpha(t)
    return log_mean_coeff - 0.5 * torch.log(1. - torch.exp(2. * log_mean_coeff))


def unipc_bh_update(model_fn, x, model_prev_list, t_prev_list, t, order, use_corrector, variant='bh1'):
    t_prev_0 = t_prev_list[-1]
    lambda_prev_0, lambda_t = vp_lambda(t_prev_0), vp_lambda(t)
    model_prev_0 = model_prev_list[-1]
    sigma_prev_0, sigma_t = vp_std(t_prev_0), vp_std(t)
    alpha_t = torch.exp(vp_log_alpha(t))
    h = lambda_t - lambda_prev_0
    rks, d1s = [], []
    for i in range(1, order):
        rk = ((vp_lambda(t_prev_list[-(i + 1)]) - lambda_prev_0) / h)[0]
        rks.append(rk)
        d1s.append((model_prev_list[-(i + 1)] - model_prev_0) / rk)
    rks.append(1.)
    rks = torch.tensor(rks)
    hh = -h[0]
    h_phi_1 = torch.expm1(hh)
    h_phi_k = h_phi_1 / hh - 1
    factorial_i = 1
    b_h = hh if variant == 'bh1' else torch.expm1(hh)
    r_rows, b = [], []
    for i in range(1, order + 1):
        r_rows.append(torch.pow(rks, i - 1))
        b.append(h_phi_k * factorial_i / b_h)
        factorial_i *= (i + 1)
        h_phi_k = h_phi_k / hh - 1 / factorial_i
    r_mat = torch.stack(r_rows)
    b = torch.tensor(b)
    if len(d1s) > 0:
        d1s = torch.stack(d1s, dim=1)
        rhos_p = torch.tensor([0.5]) if order == 2 else torch.linalg.solve(r_mat[:-1, :-1], b[:-1])
    else:
        d1s = None
    if use_corrector:
        rhos_c = torch.tensor([0.5]) if order == 1 else torch.linalg.solve(r_mat, b)
    x_t_ = (sigma_t / sigma_prev_0) * x - (alpha_t * h_phi_1) * model_prev_0
    pred_res = torch.einsum('k,bkchw->bchw', rhos_p, d1s) if d1s is not None else 0
    x_t = x_t_ - (alpha_t * b_h) * pred_res
    model_t = None
    if use_corrector:
        model_t = model_fn(x_t, t)
        corr_res = torch.einsum('k,bkchw->bchw', rhos_c[:-1], d1s) if d1s is not None else 0
        x_t = x_t_ - (alpha_t * b_h) * (corr_res + rhos_c[-1] * (model_t - model_prev_0))
    return x_t, model_t


def sample_unipc(eps_model, x, steps, order=3, lower_order_final=True, t_start=None):
    """UniPC.sample(method='multistep'); model_fn is the data prediction x0 = (x - sigma_t eps) / alpha_t."""
    def model_fn(x, t):
        eps = eps_model(x, (t - 1. / 1000) * 1000.)
        return (x - vp_std(t) * eps) / torch.exp(vp_log_alpha(t))

    t_0, t_T = 1. / 1000, 1. if t_start is None else t_start
    timesteps = torch.linspace(t_T, t_0, steps + 1)
    vec_t = timesteps[0].expand((x.shape[0]))
    model_prev_list, t_prev_list = [model_fn(x, vec_t)], [vec_t]
    for init_order in range(1, order):
        vec_t = timesteps[init_order].expand(x.shape[0])
        x, model_x = unipc_bh_update(model_fn, x, model_prev_list, t_prev_list, vec_t, init_order, True)
        model_prev_list.append(model_x)
        t_prev_list.append(vec_t)
    for step in range(order, steps + 1):
        vec_t = timesteps[step].expand(x.shape[0])
        step_order = min(order, steps + 1 - step) if lower_order_final else order
        x, model_x = unipc_bh_update(model_fn, x, model_prev_list, t_prev_list, vec_t, step_order, step != steps)
        for i in range(order - 1):
            t_prev_list[i] = t_prev_list[i + 1]
            model_prev_list[i] = model_prev_list[i + 1]
        t_prev_list[-1] = vec_t
        if step < steps:
            model_prev_list[-1] = model_x
    return x


def unipc_timesteps(steps):
    """CompVisSampler.get_timesteps: every (1000 // steps)-th timestep + 1; UniPC runs one step per entry."""
    return torch.clip(torch.asarray(list(range(0, 1000, 1000 // steps))) + 1, 0, 999)


# 6. Fixed inputs: a toy denoiser, fixed noise, a fixed start
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



def run_lcm(sigmas):
    calls, used = [], []

    def eps_model(scaled, sigma):
        x = scaled * (sigma ** 2 + 1) ** 0.5
        calls.append({"sigma": float(sigma), "timestep": float(lcm_sigma_to_t(sigma)), "x": x.flatten().tolist()})
        return (x - toy_denoiser(x, sigma)) / sigma

    def randn(x):
        noise = noise_pool[len(used)]
        used.append(noise.flatten().tolist())
        return noise

    final = sample_lcm(lcm_denoiser(eps_model), start * sigmas[0], sigmas, randn)
    return {"sigmas": [float(v) for v in sigmas], "calls": calls, "noise": used, "final": final.flatten().tolist()}


def toy_eps(x, t_input):
    """The UNet UniPC sees: eps(x, t) = x (0.2 + t / 1500) - data (0.4 - t / 3000), in float32."""
    return x * (0.2 + t_input / 1500) - data * (0.4 - t_input / 3000)


def run_unipc(steps, strength=None):
    calls = []

    def eps_model(x, t_input):
        calls.append({"timestep": float(t_input[0]), "x": x.flatten().tolist()})
        return toy_eps(x, t_input[0])

    timesteps = unipc_timesteps(steps)
    if strength is None:
        x, t_start, runs = start, None, len(timesteps)
    else:
        # CompVisSampler.sample_img2img: t_enc steps from timesteps[t_enc - 1], the image noised to timesteps[t_enc]
        t_enc = int(min(strength, 0.999) * steps)
        a = alphas_cumprod[timesteps[t_enc]]
        x = data * torch.sqrt(a) + start * torch.sqrt(1 - a)
        t_start, runs = timesteps[t_enc - 1] / 1000 + 1 / 1000, t_enc
    first = x.flatten().tolist()
    final = sample_unipc(eps_model, x, runs, t_start=t_start)
    return {"steps": steps, "strength": strength, "start": first, "calls": calls, "final": final.flatten().tolist()}


lcm = [run_lcm(lcm_get_sigmas(n)) for n in (4, 6, 8)]
unipc = [run_unipc(6), run_unipc(10), run_unipc(20), run_unipc(10, strength=0.5), run_unipc(12, strength=0.75)]
unipc_steps = {n: len(unipc_timesteps(n)) for n in (3, 6, 7, 20, 30, 40, 150)}

json.dump({
    "about": "k-diffusion samplers, A1111 1.10 schedules, LCM and UniPC on fixed inputs; tools/reference-fixtures/k_samplers.py",
    "torch": torch.__version__,
    "shape": list(SHAPE),
    "data": data.flatten().tolist(),
    "start": start.flatten().tolist(),
    "sigmas": [float(v) for v in karras6],
    "sigmas_to_t": [float(sigma_to_t(v)) for v in karras6[:-1]],
    "karras_discarded": [float(v) for v in discard],
    "samplers": samplers,
    "schedules": schedules,
    "lcm": lcm,
    "unipc": unipc,
    "unipc_steps": unipc_steps,
}, __import__("sys").stdout, separators=(",", ":"))
