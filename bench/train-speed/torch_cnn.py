"""The bench's plain CNN in PyTorch, trained for one epoch on MNIST, for a side-by-side timing.

Reads the same IDX files as the TypeScript side and normalises the same way. Prints one JSON line:
{"seconds": <training loop time>, "accuracy": <test accuracy>}.
Run by main.ts with OPENBLAS_NUM_THREADS=1; the thread count comes as an argument.
"""
import json
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim :]), dtype=torch.uint8).reshape(dims)


class Net(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, k, padding=k // 2)
        self.conv2 = nn.Conv2d(16, 32, k, padding=k // 2)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def main():
    data_dir, threads, kernel, batch, lr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    norm = lambda x: ((x.float() / 255.0) - 0.1307) / 0.3081
    xtr = norm(read_idx(f"{data_dir}/train-images-idx3-ubyte")).unsqueeze(1)
    ytr = read_idx(f"{data_dir}/train-labels-idx1-ubyte").long()
    xte = norm(read_idx(f"{data_dir}/t10k-images-idx3-ubyte")).unsqueeze(1)
    yte = read_idx(f"{data_dir}/t10k-labels-idx1-ubyte").long()
    net = Net(kernel)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    start = time.perf_counter()
    perm = torch.randperm(xtr.shape[0])
    net.train()
    for i in range(0, xtr.shape[0], batch):
        idx = perm[i : i + batch]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    net.eval()
    with torch.no_grad():
        correct = sum((net(xte[i : i + 1000]).argmax(1) == yte[i : i + 1000]).sum().item() for i in range(0, xte.shape[0], 1000))
    print(json.dumps({"seconds": seconds, "accuracy": correct / xte.shape[0]}))


if __name__ == "__main__":
    main()
