"""Writes netG.onnx and netD.onnx into dynamo/ and torchscript/ beside this file: a small DCGAN pair as PyTorch
defines and exports it (the layer pattern of the PyTorch DCGAN example at a quarter of its width, 32x32 grey,
z [N, 16, 1, 1] ~ N(0, 1)), random weights from seed 0, batch norm in inference mode with non-trivial running
statistics, exported with a dynamic batch axis by both of torch.onnx.export's exporters: the torch.export-based
one (the default since PyTorch 2.9: opset 20, batch norm folded into the convolutions) and the TorchScript one
(opset 13, BatchNormalization nodes kept in the generator). The service's tests load each pair as a foreign
bundle (fixture/TorchExportedBundle) and check the registry's z -> G -> D gradient graph against central
differences.

Regenerate (torch 2.13, CPU; the files are committed, the build does not run this):
    python3 service/src/test/resources/torch-dcgan/export.py
"""
import pathlib

import torch
from torch import nn

NZ, NGF, NDF = 16, 16, 16  # the example: 100, 64, 64
HERE = pathlib.Path(__file__).resolve().parent


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, NGF * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),     # 4x4
            nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),  # 8x8
            nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),  # 16x16
            nn.ConvTranspose2d(NGF, 1, 4, 2, 1, bias=False), nn.Tanh())  # 32x32

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    """The example's discriminator without its final Sigmoid: a bundle's discriminator answers a logit."""

    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),  # 16x16
            nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),  # 8x8
            nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 4, 1, 4, 1, 0, bias=False))  # 1x1

    def forward(self, image):
        return self.main(image).view(-1, 1)


def init(module):
    """The example's weights_init with std 0.1 for the convolutions (at 0.02 the untrained nets answer nearly
    constants), then running statistics that are not the identity, as after training."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.1)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
        module.running_mean.uniform_(-0.1, 0.1)
        module.running_var.uniform_(0.5, 1.5)


def export(net, example, path):
    path.parent.mkdir(exist_ok=True)
    torch.onnx.export(net, (example,), str(path), input_names=["input"], output_names=["output"],
                      dynamic_shapes=({0: torch.export.Dim("batch")},), dynamo=True, external_data=False)
    torch.onnx.export(net, (example,), str(path.parent.parent / "torchscript" / path.name), input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      opset_version=13, dynamo=False)


if __name__ == "__main__":
    torch.manual_seed(0)
    (HERE / "torchscript").mkdir(exist_ok=True)
    generator, discriminator = Generator().apply(init).eval(), Discriminator().apply(init).eval()
    export(generator, torch.randn(2, NZ, 1, 1), HERE / "dynamo" / "netG.onnx")
    export(discriminator, torch.randn(2, 1, 32, 32), HERE / "dynamo" / "netD.onnx")
    print("wrote dynamo/ and torchscript/ in", HERE, "with torch", torch.__version__)
