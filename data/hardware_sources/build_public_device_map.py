"""Regenerate data/public_device_map.csv: every device string/column of the public data -> a table id.

The CSV is the product (the mapping as data); this records how it was made. Run from the repo root.
"""
import csv, collections, re, sys
sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[2]))
from advisor.hardware import load_table
from advisor.paths import public_data_dir, data_dir
P=str(public_data_dir())+'/'
ids={h.id for h in load_table()}
rows=[]
def add(source, s, role, hid, match='exact', notes=''):
    if hid and hid not in ids: raise SystemExit(f'bad id {hid} for {s}')
    rows.append(dict(source=source, device_string=s, role=role, hw_id=hid, match=match, notes=notes))

NCNN_CPU = {
 'AMD EPYC 7742': 'epyc-7742', 'AMD Radeon RX 6900 XT': None, 'AMD Ryzen 5700g': 'ryzen-7-5700g',
 'AMD Ryzen 9 5950X': 'ryzen-9-5950x', 'AMD Ryzen Embedded V1605B': 'ryzen-v1605b',
 'AMD Ryzen Threadripper 3970X': 'threadripper-3970x', 'AWS c5.4xlarge': 'aws-c5-4xlarge',
 'AXERA AX620A': 'axera-ax620a', 'AXERA AX630C': 'axera-ax630c', 'Amlogic S805': 'amlogic-s805',
 'Arduino UNO Q': 'qualcomm-qrb2210', 'Avaota Aim T527': 'allwinner-t527', 'Banana Pi M2 Zero 2': 'allwinner-h2plus',
 'CVITEK SG2000': 'cvitek-sg2000', 'EAIDK 310': 'rk3228h', 'Freescale i.MX7 Dual': 'nxp-imx7d',
 'HUAWEI KunPeng 920 2251K': 'kunpeng-920-2251k', 'HUAWEI KunPeng 920 3211K': 'kunpeng-920-3211k',
 'HiSilicon Hi3519V101': 'hisilicon-hi3519v101', 'Intel Core i7-11800H': 'core-i7-11800h',
 'Intel Core i7-7700K': 'core-i7-7700k', 'Ingenic T40XP': 'ingenic-t40xp', 'Intel Atom x5-Z8350': 'atom-x5-z8350',
 'Intel Celeron M 420': 'celeron-m-420', 'Intel Celeron N5105': 'celeron-n5105',
 'Khadas VIM3': 'amlogic-a311d', 'Kirin 970': 'kirin-970', 'Loongson 2K1000LA': 'loongson-2k1000la',
 'Loongson 2K1000 ': 'loongson-2k1000', 'Loongson 2K2000': 'loongson-2k2000', 'Loongson 3A3000': 'loongson-3a3000',
 'Loongson 3A4000': 'loongson-3a4000', 'Loongson 3A5000': 'loongson-3a5000', 'Loongson 3A6000': 'loongson-3a6000',
 'MYIR RemiPi': 'renesas-rzg2l', 'MacBook Pro (13-inch, M1': 'apple-m1', 'MacBook Pro (15-inch, 2019)': 'core-i7-9750h',
 'MediaTek Dimensity 9300': 'dimensity-9300', 'Azure Standard D64ps v6': 'azure-d64ps-v6',
 'Azure Standard D64s v6': 'azure-d64s-v6', 'NVIDIA Jetson AGX Orin': 'jetson-agx-orin-cpu',
 'NVIDIA Jetson AGX Xavier': 'jetson-agx-xavier-cpu', 'NVIDIA Jetson Nano': 'jetson-nano-cpu',
 'NVIDIA Jetson TX2 NX': 'jetson-tx2-nx-cpu', 'NanoPi R2S': 'rk3328', 'OrangePi Zero 2': 'allwinner-h616',
 'OrangePi4 LTS': 'rk3399', 'OrangePi5 Plus': 'rk3588', 'OrangePi5,': 'rk3588', 'OrangePicm4': 'rk3566',
 'Phytium FT-2000+/64': 'phytium-ft2000plus', 'Phytium FT-2000/4': 'phytium-ft2000-4', 'PhytiumPi': 'phytium-e2000',
 'Snapdragon 675': 'snapdragon-675', 'Snapdragon 410': 'snapdragon-410', 'Snapdragon 810': 'snapdragon-810',
 'Snapdragon 821': 'snapdragon-821', 'Snapdragon 835': 'snapdragon-835', 'Snapdragon 660': 'snapdragon-660',
 'Snapdragon 765G': 'snapdragon-765g', 'Snapdragon 855+': 'snapdragon-855plus', 'Snapdragon 888': 'snapdragon-888',
 'RDK X3': 'horizon-x3', 'Radxa Orion O6': 'cix-p1', 'Radxa Zero 3W': 'rk3566',
 'Raspberry Pi 3 Model B+': 'rpi3', 'Raspberry Pi 4 Model B': 'rpi4', 'Raspberry Pi Zero 2 W': 'rpi-zero-2w',
 'Rock3A': 'rk3568', 'Rockchip RK3288': 'rk3288', 'Rockchip RK3399 (': 'rk3399', 'Rockchip RK3588 (': 'rk3588',
 'Spacemit MUSE Pi Pro': 'spacemit-k1', 'Station P2': 'rk3568', 'Station-M2': 'rk3566', 'Station-M3': 'rk3588',
 'Sunway SW421': 'sunway-sw421', 'Sunway SW831': 'sunway-sw831', 'T-Head TH1520': 'thead-th1520',
 'VisionFive2': 'starfive-jh7110', 'Xeon Phi 3120A': 'xeon-phi-3120a', 'Z7-Lite 7020': 'xilinx-zynq-7020',
 'iPhone 5S': 'apple-a7', 'RTX A3000 of Notebook': None, 'RTX2060 of Notebook': None, 'RTX2080 of Desktop': None,
 'Quadro RTX 8000': None, 'Tesla V100-PCIE-32GB': None, 'RTX 3060 Ti': None, 'UHD Graphics 770 of Desktop': None,
}
VULKAN = {
 'AMD Radeon RX 6900 XT': 'radeon-rx-6900-xt', 'AMD Radeon(TM) Vega 8 Graphics': 'radeon-vega8-v1605b',
 'Intel(R) HD Graphics (CHV)': 'intel-hd-cherrytrail', 'Intel(R) UHD Graphics (JSL)': 'intel-uhd-jasperlake',
 'Intel(R) UHD Graphics 770': 'intel-uhd-770', 'Mali-G52': None, 'Mali-G72': 'mali-g72-mp12', 'Apple M1': 'apple-m1-gpu',
 'Intel(R) UHD Graphics 630': 'intel-uhd-630', 'Mali-G720-Immortalis MC12': 'mali-g720-mc12',
 'NVIDIA Tegra Orin (nvgpu)': 'jetson-agx-orin-gpu', 'NVIDIA Tegra Xavier (nvgpu)': 'jetson-agx-xavier-gpu',
 'NVIDIA Tegra X1 (nvgpu)': 'jetson-nano-gpu', 'NVIDIA Tegra X2 (nvgpu)': 'jetson-tx2-gpu',
 'Quadro RTX 8000': 'quadro-rtx-8000', 'Tesla V100-PCIE-32GB': 'v100-pcie-32gb', 'Adreno (TM) 430': 'adreno-430',
 'Adreno (TM) 540': 'adreno-540', 'Adreno (TM) 512': 'adreno-512', 'Adreno (TM) 620': 'adreno-620',
 'Adreno (TM) 640': 'adreno-640', 'Adreno (TM) 660': 'adreno-660', 'Mali-G720-Immortalis': 'mali-g720-mc10',
 'Mali-T760': 'mali-t760-mp4', 'Mali-T860': 'mali-t860-mp4', 'Mali-G610': 'mali-g610-mp4',
 'PowerVR B-Series BXE-2-32 MC1': 'powervr-bxe-2-32', 'PowerVR B-Series BXM-4-64': 'powervr-bxm-4-64',
 'PowerVR B-Series BXE-4-32': 'powervr-bxe-4-32', 'Apple A7 GPU': 'apple-a7-gpu',
 'NVIDIA RTX A3000 Laptop GPU': 'rtx-a3000-laptop', 'GeForce RTX 2060': 'rtx-2060-laptop', 'GeForce RTX 2080': 'rtx-2080',
 'Microsoft Direct3D12 (NVIDIA GeForce GTX 1050 Ti)': 'gtx-1050-ti',
}
def ncnn_cpu(s):
    hits=[v for k,v in NCNN_CPU.items() if k in s]
    assert len(hits)>=1, s
    return hits[0]
nrows=list(csv.DictReader(open(P+'ncnn/benchmark.csv')))
seen=set()
for r in nrows:
    s=r['device']; g=r['gpu_device']; vk=r['vulkan_gpu_name']
    key=(s,g)
    if key in seen: continue
    seen.add(key)
    if g in ('-1',):
        hid=ncnn_cpu(s)
        if hid is None: continue  # GPU-only device strings have no CPU rows
        add('ncnn', s, 'cpu', hid, 'exact' if 'cores' not in s or True else 'exact')
        continue
    role=f'gpu{g}' if g!='' else 'gpu'
    if s.startswith('NVIDIA GeForce RTX 3060 Ti'):
        add('ncnn', s, role, 'rtx-3060-ti', 'exact', f"vulkan_gpu_name says {vk!r}; the device string names the RTX 3060 Ti")
    elif 'RTX 3070 Laptop' in s:
        add('ncnn', s, role, 'rtx-3070-laptop', 'uncertain', f"GPU-PV names both adapters {vk!r}; gpu {g} assumed to be the RTX 3070 Laptop GPU")
    elif 'Radeon Pro 555X' in s and g=='1':
        add('ncnn', s, role, 'radeon-pro-555x', 'uncertain', f"vulkan_gpu_name says {vk!r} for both indices; index 1 assumed to be the Radeon Pro 555X")
    elif vk=='Mali-G52':
        add('ncnn', s, role, 'mali-g52-mp4-6ee' if 'A311D' in s else 'mali-g52-mp2', 'exact')
    elif vk in VULKAN and VULKAN[vk]:
        add('ncnn', s, role, VULKAN[vk], 'exact')
    else:
        add('ncnn', s, role, ncnn_cpu(s), 'uncertain', f"gpu_device={g!r} but no Vulkan GPU named; mapped to the SoC's CPU row")

HELP = {'1080ti':'gtx-1080-ti','2080ti':'rtx-2080-ti','titan_rtx':'titan-rtx','titanx':'titan-x-pascal','titanxp':'titan-xp',
        'titan_xp':'titan-xp','v100':'v100-sxm2-16gb','gold_6226':'xeon-gold-6226','gold_6240':'xeon-gold-6240',
        'silver_4114':'xeon-silver-4114','silver_4210r':'xeon-silver-4210r','raspi4':'rpi4','pixel2':'snapdragon-835',
        'pixel3':'snapdragon-845','samsung_a50':'exynos-9610','samsung_s7':'exynos-8890','essential_ph_1':'snapdragon-835'}
HNOTE = {'titanx':'HELP does not say which Titan X; Pascal assumed', 'v100':'HELP does not say PCIe or SXM2; SXM2 16 GB assumed',
         'samsung_s7':'Exynos 8890 (international model) assumed', 'raspi4': 'TFLite'}
cols=set()
for f in ('nasbench201','fbnet','ofa'):
    hdr=next(csv.reader(open(P+f'help/{f}_latency.csv')))
    for c in hdr[2:]:
        b=re.sub(r'_(1|32|64|256)$','',c)
        cols.add(b if b in ('1080ti','2080ti','titan_rtx','titanx','titanxp','titan_xp','v100') else c)
for c in sorted(cols):
    if c in ('eyeriss','fpga'):
        add('help', c, 'device', '', 'excluded', 'simulated, not measured (SOURCES.md): excluded from training')
    else:
        m='uncertain' if c in ('titanx','v100','samsung_s7') else 'exact'
        add('help', c, 'device', HELP[c], m, HNOTE.get(c,''))

OCV = {'Atlas 200 DK':('ascend-310-cpu','ascend-310'), 'Atlas 200I DK A2':('ascend-310b-cpu','ascend-310b'),
       'Horizon Sunrise X3 PI':('horizon-x3',None),'Intel 12700K':('core-i7-12700k',None),
       'Jetson Nano B01':('jetson-nano-cpu','jetson-nano-gpu'),'Jetson Nano Orin':('jetson-orin-nano-cpu','jetson-orin-nano-gpu'),
       'Khadas Edge2 (with RK3588)':('rk3588',None),'Khadas VIM3':('amlogic-a311d','a311d-npu'),'Khadas VIM4':('amlogic-a311d2',None),
       'MAIX-III AX-PI':('axera-ax620a',None),'Raspberry Pi 4B':('rpi4',None),'StarFive VisionFive 2':('starfive-jh7110',None),
       'Toybrick RV1126':('rv1126',None)}
orows=list(csv.DictReader(open(P+'opencv_zoo/benchmark.csv')))
for d,t in sorted({(r['device'],r['target']) for r in orows}):
    tgt=t.split('_')[-1] if 'FP16' not in t else 'CUDA_FP16'
    role={'CPU':'cpu','CUDA':'gpu','CUDA_FP16':'gpu','NPU':'npu'}[tgt]
    if role in ('cpu',) and (d,'cpu') in {(x['device_string'],x['role']) for x in rows if x['source']=='opencv_zoo'}:
        continue
    if role=='gpu' and (d,'gpu') in {(x['device_string'],x['role']) for x in rows if x['source']=='opencv_zoo'}:
        continue
    hid=OCV[d][0] if role=='cpu' else OCV[d][1]
    add('opencv_zoo', d, role, hid, 'exact', 'Jetson Nano Orin = Jetson Orin Nano' if 'Nano Orin' in d else '')

# MLPerf
mrows=list(csv.DictReader(open(P+'mlperf/results_v1.0-v4.1.csv')))
ACC = [('GH200 Grace Hopper Superchip 144GB','gh200-144gb'),('GH200 Grace Hopper Superchip 96GB','gh200-96gb'),
 ('MI300X','mi300x'),('Mali G52MP8','mali-g52-mp8'),('Mali-G610','mali-g610-mp4'),('Mali-G52 MP6','mali-g52-mp4-6ee'),
 ('Mali-T860','mali-t860-mp4'),('BR104','biren-br104'),('Centaur','centaur-ncore'),('FuriosaAI Warboy','furiosa-warboy'),
 ('Inferentia','inferentia1'),('MLSOC','sima-mlsoc'),('NPU 3.0','rk3588-npu'),('RBLN ATOM','rebellions-atom'),
 ('A100-PCIE-40GB','a100-pcie-40gb'),('A100-PCIe-40GB','a100-pcie-40gb'),('A100-PCIE-80GB','a100-pcie-80gb'),
 ('A100-PCIe-80GB','a100-pcie-80gb'),('A100_PCIe_80GB','a100-pcie-80gb'),('NVIDIA A100-PCIe','a100-pcie-40gb'),
 ('A100-SXM-40GB','a100-sxm4-40gb'),('A100-SXM4-40GB','a100-sxm4-40gb'),('A100-SXM','a100-sxm4-80gb'),
 ('Drive-A100','drive-a100'),('A10-24Q','a10'),('NVIDIA A10','a10'),('NVIDIA A16','a16'),('NVIDIA A2','a2'),
 ('NVIDIA A30','a30'),('NVIDIA A40','a40'),('AGX Xavier','jetson-agx-xavier-gpu'),('B200','b200'),
 ('RTX 4090','rtx-4090'),('H100-80C','h100-pcie'),('H100-NVL','h100-nvl'),('H100-PCIe','h100-pcie'),('H100-SXM','h100-sxm'),
 ('H200','h200'),('AGX Orin','jetson-agx-orin-gpu'),('NVIDIA L40S','l40s'),('NVIDIA L40','l40'),('NVIDIA L4','l4'),
 ('Orin NX','jetson-orin-nx-gpu'),('NVIDIA Orin','jetson-agx-orin-gpu'),('Quadro RTX 8000','quadro-rtx-8000'),
 ('RTX A5000','rtx-a5000'),('T4','t4'),('V100S','v100s-pcie-32gb'),('Xavier NX','jetson-xavier-nx-gpu'),
 ('NVIDIA Xavier','jetson-agx-xavier-gpu'),('K80','tesla-k80'),('Cloud AI 100 DM.2e','cloud-ai-100-dm2e'),
 ('Cloud AI 100 DM.2','cloud-ai-100-dm2'),('Cloud AI 100 PCIe HHHL','cloud-ai-100-pro'),('HHHL Lite','cloud-ai-100-lite'),
 ('HHHL Pro','cloud-ai-100-pro'),('HHHL Standard','cloud-ai-100-standard'),('TPU v5e','tpu-v5e'),('TPU v6','tpu-v6e'),
 ('tensorflow-metal','apple-m1-gpu')]
ANOTE = {'-80C':'vGPU/CTS profile of the GPU','H100-80C':'vGPU profile of an H100 PCIe','A10-24Q':'vGPU profile of an A10','NVIDIA A100-PCIe':'memory size not stated; 40 GB assumed',
 'NVIDIA Orin':'Orin variant not stated; AGX Orin assumed','NVIDIA Xavier':'AGX Xavier assumed','MIG':'a MIG slice of the GPU: per-slice peaks are a fraction of the row',
 'Cloud AI 100 PCIe HHHL':'Pro assumed','x8,':'heterogeneous cluster: first accelerator listed','tensorflow-metal':'TensorFlow Metal on an Apple M1 GPU'}
EXCL_ACC = {'-':'no accelerator: CPU-only run (see the host CPU)','N/A':'no accelerator: CPU-only run (see the host CPU)','':'not stated',
 'DNA-F200 v1 on Alveo U50':'FPGA: peak depends on the loaded design','DNA-F200 v2 on Alveo U50':'FPGA: peak depends on the loaded design',
 'Xilinx Alveo U250':'FPGA: peak depends on the loaded design','Xilinx VCK5000':'FPGA (Versal AI engines): peak depends on the design; not in table',
 'MOFFETT S10-PCIe/FHFL-40GB':'sparse accelerator; dense peaks not published','MOFFETT S30-PCIe/FHFL-60GB':'sparse accelerator; dense peaks not published',
 'MOFFETT S4-PCIe/HHHL-20GB':'sparse accelerator; dense peaks not published','MOFFETT S40-PCIe/FHFL-80GB':'sparse accelerator; dense peaks not published',
 'Neuchips RecAccel':'recommendation ASIC; peaks not published in reach','RecAccel N3000':'recommendation ASIC; peaks not published in reach',
 'SAPEON X220-compact':'peaks not verified; not in table','SAPEON X220-enterprise':'peaks not verified; not in table',
 'UntetherAI speedAI240 Preview':'peaks not verified; not in table','UntetherAI speedAI240 Slim':'peaks not verified; not in table'}
for a in sorted({r['sys_accelerator_model_name'] for r in mrows}):
    if a in EXCL_ACC:
        add('mlperf', a, 'accelerator', '', 'excluded', EXCL_ACC[a]); continue
    hits=[h for k,h in ACC if k in a]
    assert hits, a
    EX=('NVIDIA A100-PCIe','NVIDIA Orin','NVIDIA Xavier','Cloud AI 100 PCIe HHHL')
    notes='; '.join(v for k,v in ANOTE.items() if ((a.endswith(k) and a in ('NVIDIA A100-PCIe','NVIDIA Orin','NVIDIA Xavier','QUALCOMM Cloud AI 100 PCIe HHHL')) if k in EX else (k in a)))
    m='uncertain' if (a in ('NVIDIA A100-PCIe','NVIDIA Orin','NVIDIA Xavier','QUALCOMM Cloud AI 100 PCIe HHHL','QUALCOMM Cloud AI 100 PCIe/HHHL Lite') or any(k in a for k in ('MIG','x8,','-80C','-24Q'))) else 'exact'
    add('mlperf', a, 'accelerator', hits[0], m, notes)

HOST = [('8-core ARM Cortex-A78AE','jetson-orin-nx-cpu'),('Platinum 8352M','xeon-platinum-8352m'),('Cortex-A78AE CPU','jetson-agx-orin-cpu'),('12-core Cortex-A78','jetson-agx-orin-cpu'),
 ('EPYC 9374F','epyc-9374f'),('EPYC TURIN','epyc-9755'),('Cortex-A65','sima-mlsoc'),('8-core ARM Cortex-A78AE','jetson-orin-nx-cpu'),
 ('Yitian 710','yitian-710'),('A311D2','amlogic-a311d2'),('S922X','amlogic-s922x'),('Altra Q80-30','ampere-altra-q80-30'),
 ('M1 Pro','apple-m1-pro'),('Apple M1','apple-m1'),('MacBookPro18,1','apple-m1-pro'),('Cortex-A72 MP2','rk3399'),
 ('Cortex-A72 MP4','rpi4'),('Cortex-A78AE v8.2','jetson-agx-orin-cpu'),('BCM2835','rpi4'),('BCM2837','rpi3'),
 ('Centaur','centaur-cns'),('Cortex-A72','rpi4'),('6444Y','xeon-gold-6444y'),('6980P','xeon-6980p'),('GOLD 6530','xeon-gold-6530'),
 ('8562Y','xeon-platinum-8562y'),('8580','xeon-platinum-8580'),('8592','xeon-platinum-8592'),('8368Q','xeon-platinum-8368q'),
 ('10980XE','core-i9-10980xe'),('11900k','core-i9-11900k'),('Ice Lake-SP 8368','xeon-platinum-8368'),('6226R','xeon-gold-6226r'),
 ('6248R','xeon-gold-6248r'),('6448H','xeon-gold-6448h'),('Platinum 8362','xeon-platinum-8362'),('i5-10400','core-i5-10400'),
 ('i7-9700KF','core-i7-9700kf'),('Sapphire Rapids','xeon-platinum-8480'),('Cascade Lake CPU platform','xeon-platinum-8280'),
 ('CPU @ 2.30GHz','xeon-e5-2686-v4'),('E5-2686','xeon-e5-2686-v4'),('D-2123IT','xeon-d-2123it'),('D-2166NT','xeon-d-2166nt'),
 ('D-2775TE','xeon-d-2775te'),('D-2776NT','xeon-d-2776nt'),('5318N','xeon-gold-5318n'),('5423N','xeon-gold-5423n'),
 ('6238','xeon-gold-6238'),('6240R','xeon-gold-6240r'),('Gold 6248 ','xeon-gold-6248'),('6252N','xeon-gold-6252n'),('Gold 6252 ','xeon-gold-6252'),
 ('6258R','xeon-gold-6258r'),('6312U','xeon-gold-6312u'),('6326','xeon-gold-6326'),('6330N','xeon-gold-6330n'),('6330','xeon-gold-6330'),
 ('6338N','xeon-gold-6338n'),('6338','xeon-gold-6338'),('6346','xeon-gold-6346'),('6348','xeon-gold-6348'),('6354','xeon-gold-6354'),
 ('6433N','xeon-gold-6433n'),('6438N','xeon-gold-6438n'),('6442Y','xeon-gold-6442y'),('6448Y','xeon-gold-6448y'),('6454S','xeon-gold-6454s'),
 ('8380H','xeon-platinum-8380h'),('6458Q','xeon-platinum-6458q'),('8163','xeon-platinum-8163'),('8252C','xeon-platinum-8252c'),
 ('8259CL','xeon-platinum-8259cl'),('8269CY','xeon-platinum-8269cy'),('8275CL','xeon-platinum-8275cl'),('8280','xeon-platinum-8280'),
 ('8350C','xeon-platinum-8350c'),('8351N','xeon-platinum-8351n'),('8352V','xeon-platinum-8352v'),('8352Y','xeon-platinum-8352y'),
 ('8357C','xeon-platinum-8357c'),('8358P','xeon-platinum-8358p'),('8358','xeon-platinum-8358'),('8360Y','xeon-platinum-8360y'),
 ('8368','xeon-platinum-8368'),('8369B','xeon-platinum-8369b'),('8375C','xeon-platinum-8375c'),('8378A','xeon-platinum-8378a'),
 ('8380','xeon-platinum-8380'),('8458P','xeon-platinum-8458p'),('8460Y','xeon-platinum-8460y'),('8462Y','xeon-platinum-8462y'),
 ('8468','xeon-platinum-8468'),('8470','xeon-platinum-8470'),('8480','xeon-platinum-8480'),('8481C','xeon-platinum-8481c'),
 ('8568Y','xeon-platinum-8568y'),('8570','xeon-platinum-8570'),('Silver 4216','xeon-silver-4216'),('4314','xeon-silver-4314'),
 ('4410Y','xeon-silver-4410y'),('w7-2495X','xeon-w7-2495x'),('NVIDIA Carmel','jetson-agx-xavier-cpu'),('Grace','nvidia-grace'),
 ('Neoverse-N1','ampere-altra-q80-30'),('Snapdragon 865','snapdragon-865'),('RK3588','rk3588'),('ARMv8 Processor rev 1','jetson-agx-orin-cpu')]
for e in ['7232P','7252','7282','7302','7313','7413','7452','74F3','7502','7513','7542','7543','75F3','7702','7713','7742','7763','7773X','7B13','7H12','7V12','7V13','8124P','9124','9174F','9254','9334','9454','9474F','9634','9654','9684X','9B14']:
    HOST.append((f'EPYC {e}', f'epyc-{e.lower()}'))
HOST += [('EPYC 9004','epyc-9654'),('5500U','ryzen-5-5500u'),('5625U','ryzen-5-5625u'),('7950X','ryzen-9-7950x')]
HNOTE2 = {'EPYC TURIN':'SKU not stated: EPYC 9755 assumed','EPYC 9004':'SKU not stated: EPYC 9654 assumed','Cascade Lake CPU platform':'SKU not stated (Google Cloud): Platinum 8280 class assumed',
 'CPU @ 2.30GHz':'SKU not stated (Google Cloud N1 vCPU at 2.30 GHz): Broadwell E5-2686 v4 class assumed','Sapphire Rapids':'SKU not stated: Platinum 8480+ assumed',
 'Cortex-A65':'SiMa MLSoC host cores (4x Cortex-A65); mapped to the MLSoC row','Cortex-A72 MP4':'4x Cortex-A72 board: Raspberry Pi 4 class assumed',
 'Cortex-A72':'Cortex-A72 board: Raspberry Pi 4 class assumed','BCM2835':'Raspberry Pi OS reports BCM2835 on a Pi 4 (Cortex-A72)',
 'ARMv8 Processor rev 1':'cTuning runs on Jetson AGX Orin (as the accelerator column shows)','Neoverse-N1':'Neoverse N1 server: Ampere Altra class assumed',
 '12-core Cortex-A78':'Orin CPU complex','8-core ARM Cortex-A78AE':'Orin NX CPU complex','MacBookPro18,1':'MacBookPro18,1 = 16-inch M1 Pro/Max; M1 Pro assumed',
 'Platium':'typo for Platinum','Ice Lake-SP 8368':''}
UNC = ('EPYC TURIN','EPYC 9004','Cascade Lake CPU platform','CPU @ 2.30GHz','(code named Sapphire Rapids)','Cortex-A72','BCM2835','ARMv8 Processor rev 1','Neoverse-N1','MacBookPro18,1','Cortex-A65')
for hname in sorted({r['sys_host_processor_model_name'] for r in mrows}):
    if hname == '':
        add('mlperf', hname, 'host_cpu', '', 'excluded', 'not stated'); continue
    if '8369B CPU (A100), Intel(R) Xeon(R) Silver 4314' in hname:
        add('mlperf', hname, 'host_cpu', 'xeon-platinum-8369b', 'uncertain', 'heterogeneous cluster: first host listed'); continue
    hits=[h for k,h in HOST if k in hname]
    assert hits, hname
    notes='; '.join(v for k,v in HNOTE2.items() if k in hname and v)
    add('mlperf', hname, 'host_cpu', hits[0], 'uncertain' if any(k in hname for k in UNC) else 'exact', notes)

with open(data_dir()/'public_device_map.csv','w',newline='') as fh:
    w=csv.DictWriter(fh, fieldnames=['source','device_string','role','hw_id','match','notes'], lineterminator='\n')
    w.writeheader()
    for r in rows: w.writerow(r)
c=collections.Counter((r['source'],r['match']) for r in rows)
print(len(rows), c)
