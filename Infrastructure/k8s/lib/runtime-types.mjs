// What each runtime type puts in its pod. onnx: the GpuWorker alone, running the built-in engine on the GPU.
// a1111 and comfyui: the GpuWorker as queue agent plus the runtime's own server as a sidecar that holds the GPU.
// The server listens on 127.0.0.1 only (its own command-line flags, `args`, passed to the image's entrypoint), so
// nothing outside the pod reaches it; its probes therefore run inside it (`exec`), not from the kubelet over the pod IP.
// comfyui: its input and output folders are emptyDirs shared with the agent, which deletes each task's files there.
export const RUNTIME_TYPES = {
  onnx: {
    sidecar: null,
    defaults: { cpu: '2', memory: '12Gi' },
  },
  a1111: {
    // The agent talks to the AUTOMATIC1111 API (started with --api) and waits on the route it polls itself.
    sidecar: {
      port: 7860, probePath: '/sdapi/v1/sd-models', baseUrlSetting: 'A1111__BaseUrl', modelDirectory: '/stable-diffusion-webui/models',
      args: ['--api', '--server-name', '127.0.0.1', '--port', '7860'],
      workspace: null,
    },
    defaults: { cpu: '4', memory: '16Gi' },
  },
  comfyui: {
    sidecar: {
      port: 8188, probePath: '/system_stats', baseUrlSetting: 'ComfyUi__BaseUrl', modelDirectory: '/ComfyUI/models',
      args: ['--listen', '127.0.0.1', '--port', '8188', '--input-directory', '/comfy-workspace/input', '--output-directory', '/comfy-workspace/output'],
      workspace: { path: '/comfy-workspace', setting: 'ComfyUi__WorkspaceDirectory' },
    },
    defaults: { cpu: '4', memory: '16Gi' },
  },
};

export const TYPE_NAMES = Object.keys(RUNTIME_TYPES);
